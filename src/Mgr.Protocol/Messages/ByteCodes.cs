using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>Contract codes in request order, unknown ones skipped (§4.10); the requester matches each by keccak.
/// <see cref="RequestId"/> 0 marks codes pushed next to the chunk that first references them.</summary>
public sealed record ByteCodes(ulong RequestId, IReadOnlyList<ReadOnlyMemory<byte>> Codes) : IResponse
{
    public MessageCode Code => MessageCode.ByteCodes;

    private int ContentLength() => Rlp.LengthOf(RequestId) + Rlp.LengthOfList(RlpFields.ContentOf(Codes));

    public int EncodedLength() => Rlp.LengthOfList(ContentLength());

    public void WriteTo(Span<byte> destination)
    {
        RlpWriter writer = RlpFields.Begin(destination, ContentLength());
        writer.Write(RequestId);
        RlpFields.WriteList(ref writer, Codes);
    }

    /// <summary>Decodes a ByteCodes payload.</summary>
    public static ByteCodes Decode(ReadOnlySpan<byte> payload) => RlpFields.Decode(payload, nameof(ByteCodes), static (ref RlpReader fields, byte[] owner) =>
    {
        ulong id = fields.ReadUInt64();
        ReadOnlyMemory<byte>[] codes = RlpFields.ReadList(ref fields, owner, Limits.MaxCodeHashesPerRequest, "codes");
        foreach (ReadOnlyMemory<byte> code in codes)
        {
            if (code.Length > Limits.MaxCodeBytes) ProtocolViolationException.Throw(ViolationReason.WrongType, $"code of {code.Length} bytes");
        }
        return new ByteCodes(id, codes);
    });
}
