using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>Follow mode (version 2, §4.11): the state diff of <see cref="Block"/> — accounts, storage slots and code
/// the block changed. <see cref="Diff"/> is the diff's own RLP list <c>[accounts, storage, code]</c>, carried verbatim
/// (the node decodes it as <c>Mgr.Node.State.StateDiff</c>). The receiver applies it to the parent's state and accepts
/// it only if the resulting root equals the header's state root.</summary>
/// <remarks><see cref="Decode"/> checks the diff strictly (<see cref="StateDiffShape"/>): shape, widths, key order, no
/// storage for deleted accounts, code ordered by hash, at most <see cref="Limits.MaxStateDiffBytes"/>. A sender must
/// put a diff that passes those checks into <see cref="Diff"/>; <see cref="WriteTo"/> copies it as it is.</remarks>
public sealed record StateDiff(ulong RequestId, BlockRef Block, ReadOnlyMemory<byte> Diff) : IResponse
{
    public MessageCode Code => MessageCode.StateDiff;

    private int ContentLength() => Rlp.LengthOf(RequestId) + Block.EncodedLength() + Diff.Length;

    public int EncodedLength() => Rlp.LengthOfList(ContentLength());

    public void WriteTo(Span<byte> destination)
    {
        RlpWriter writer = RlpFields.Begin(destination, ContentLength());
        writer.Write(RequestId);
        Block.WriteTo(ref writer);
        writer.WriteEncoded(Diff.Span);
    }

    /// <summary>Decodes a StateDiff payload.</summary>
    public static StateDiff Decode(ReadOnlySpan<byte> payload) => RlpFields.Decode(payload, nameof(StateDiff), static (ref RlpReader fields, byte[] owner) =>
    {
        ulong id = RlpFields.ReadRequestId(ref fields);
        BlockRef block = BlockRef.Read(ref fields);
        if (!fields.IsEnd && !fields.PeekIsList) ProtocolViolationException.Throw(ViolationReason.WrongType, "the state diff must be a list");
        ReadOnlySpan<byte> diff = fields.ReadEncodedItem();
        StateDiffShape.Check(diff);
        return new StateDiff(id, block, RlpFields.Slice(owner, diff));
    });
}
