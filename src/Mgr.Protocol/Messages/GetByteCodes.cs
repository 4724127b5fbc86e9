using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>Requests contract codes by hash (§4.10), at most <see cref="Limits.MaxCodeHashesPerRequest"/>, answer
/// capped at <see cref="Bytes"/> (soft).</summary>
public sealed record GetByteCodes(ulong RequestId, IReadOnlyList<Hash256> Hashes, ulong Bytes) : IRequest
{
    public MessageCode Code => MessageCode.GetByteCodes;

    private int ContentLength() => Rlp.LengthOf(RequestId) + Rlp.LengthOfList(33 * Hashes.Count) + Rlp.LengthOf(Bytes);

    public int EncodedLength() => Rlp.LengthOfList(ContentLength());

    public void WriteTo(Span<byte> destination)
    {
        RlpWriter writer = RlpFields.Begin(destination, ContentLength());
        writer.Write(RequestId);
        writer.WriteListHeader(33 * Hashes.Count);
        foreach (Hash256 hash in Hashes) writer.Write(hash);
        writer.Write(Bytes);
    }

    /// <summary>Decodes a GetByteCodes payload.</summary>
    public static GetByteCodes Decode(ReadOnlySpan<byte> payload) => RlpFields.Decode(payload, nameof(GetByteCodes), static (ref RlpReader fields, byte[] _) =>
    {
        ulong id = RlpFields.ReadRequestId(ref fields);
        Hash256[] hashes = RlpFields.ReadHashes(ref fields, Limits.MaxCodeHashesPerRequest, "code hashes");
        ulong bytes = fields.ReadUInt64();
        return new GetByteCodes(id, hashes, bytes);
    });
}
