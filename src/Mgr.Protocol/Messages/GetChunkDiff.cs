using Mgr.Protocol.Chunking;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>Asks for what changed under a chunk's prefix between two epoch roots (§4.7), to roll a held chunk
/// forward; answered by <see cref="ChunkDiff"/> or <see cref="Unavailable"/>.</summary>
public sealed record GetChunkDiff(ulong RequestId, ChunkId Chunk, Hash256 FromEpochHash, Hash256 FromRoot, Hash256 ToEpochHash, Hash256 ToRoot) : IRequest
{
    public MessageCode Code => MessageCode.GetChunkDiff;

    private int ContentLength() => Rlp.LengthOf(RequestId) + Chunk.EncodedLength() + 4 * 33;

    public int EncodedLength() => Rlp.LengthOfList(ContentLength());

    public void WriteTo(Span<byte> destination)
    {
        RlpWriter writer = RlpFields.Begin(destination, ContentLength());
        writer.Write(RequestId);
        Chunk.WriteTo(ref writer);
        writer.Write(FromEpochHash);
        writer.Write(FromRoot);
        writer.Write(ToEpochHash);
        writer.Write(ToRoot);
    }

    /// <summary>Decodes a GetChunkDiff payload.</summary>
    public static GetChunkDiff Decode(ReadOnlySpan<byte> payload) => RlpFields.Decode(payload, nameof(GetChunkDiff), static (ref RlpReader fields, byte[] _) =>
    {
        ulong id = RlpFields.ReadRequestId(ref fields);
        ChunkId chunk = ChunkId.Read(ref fields);
        Hash256 fromEpoch = fields.ReadHash(), fromRoot = fields.ReadHash(), toEpoch = fields.ReadHash(), toRoot = fields.ReadHash();
        return new GetChunkDiff(id, chunk, fromEpoch, fromRoot, toEpoch, toRoot);
    });
}
