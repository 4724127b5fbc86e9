using Mgr.Protocol.Chunking;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>Pulls one chunk at an epoch's root (§4.6); answered by <see cref="StateData"/> or <see cref="Unavailable"/>.</summary>
public sealed record GetStateData(ulong RequestId, Hash256 EpochHash, Hash256 StateRoot, ChunkId Chunk) : IRequest
{
    public MessageCode Code => MessageCode.GetStateData;

    private int ContentLength() => Rlp.LengthOf(RequestId) + 33 + 33 + Chunk.EncodedLength();

    public int EncodedLength() => Rlp.LengthOfList(ContentLength());

    public void WriteTo(Span<byte> destination)
    {
        RlpWriter writer = RlpFields.Begin(destination, ContentLength());
        writer.Write(RequestId);
        writer.Write(EpochHash);
        writer.Write(StateRoot);
        Chunk.WriteTo(ref writer);
    }

    /// <summary>Decodes a GetStateData payload.</summary>
    public static GetStateData Decode(ReadOnlySpan<byte> payload) => RlpFields.Decode(payload, nameof(GetStateData), static (ref RlpReader fields, byte[] _) =>
    {
        ulong id = RlpFields.ReadRequestId(ref fields);
        Hash256 epoch = fields.ReadHash(), root = fields.ReadHash();
        ChunkId chunk = ChunkId.Read(ref fields);
        return new GetStateData(id, epoch, root, chunk);
    });
}
