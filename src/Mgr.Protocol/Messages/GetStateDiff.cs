using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>Follow mode (version 2, §4.11): asks for the state diff of one block, named by hash and number; answered
/// by <see cref="StateDiff"/> or <see cref="Unavailable"/>.</summary>
public sealed record GetStateDiff(ulong RequestId, BlockRef Block) : IRequest
{
    public MessageCode Code => MessageCode.GetStateDiff;

    private int ContentLength() => Rlp.LengthOf(RequestId) + Block.EncodedLength();

    public int EncodedLength() => Rlp.LengthOfList(ContentLength());

    public void WriteTo(Span<byte> destination)
    {
        RlpWriter writer = RlpFields.Begin(destination, ContentLength());
        writer.Write(RequestId);
        Block.WriteTo(ref writer);
    }

    /// <summary>Decodes a GetStateDiff payload.</summary>
    public static GetStateDiff Decode(ReadOnlySpan<byte> payload) => RlpFields.Decode(payload, nameof(GetStateDiff), static (ref RlpReader fields, byte[] _) =>
    {
        ulong id = RlpFields.ReadRequestId(ref fields);
        BlockRef block = BlockRef.Read(ref fields);
        return new GetStateDiff(id, block);
    });
}
