using System.Buffers;
using Mgr.Node.Headers;
using Mgr.Node.Storage;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Trie.Nodes;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>Answers requests: a pure function of (<see cref="ServingView"/>, request) → response, testable without
/// sockets (STYLE.md §1). Every request gets exactly one response, its own kind or <see cref="Unavailable"/>.</summary>
public static class SwarmServer
{
    /// <summary>The response to <paramref name="request"/>.</summary>
    public static IResponse Serve(ServingView view, IRequest request)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(request);
        return request switch
        {
            GetStateData get => ServeStateData(view, get),
            GetChunkDiff diff => ChunkDiffProducer.Serve(view, diff),
            GetByteCodes codes => ServeCodes(view.Store, codes),
            GetTrieNodes nodes => TrieNodeServer.Serve(view.Store, nodes),
            GetBlockHeaders headers => HeaderServer.Serve(view.Store, headers),
            GetStateDiff stateDiff => Follow.StateDiffServer.Serve(view.Store, stateDiff, view.LayerDiffs),
            _ => throw new ArgumentException($"{request.GetType().Name} is not a request this server knows.", nameof(request)),
        };
    }

    private static IResponse ServeStateData(ServingView view, GetStateData request)
    {
        ChunkProducer? producer = view.Epochs.FirstOrDefault(p => p.Anchor.BoundaryHash == request.EpochHash && p.Anchor.StateRoot == request.StateRoot);
        bool current = view.Epochs.Count > 0 && ReferenceEquals(producer, view.Epochs[0]);
        if (producer is null || (current && !view.Holds(request.Chunk))) return new Unavailable(request.RequestId, UnavailableReason.UnknownEpoch);
        try
        {
            return producer.TryProduce(request.Chunk, request.RequestId) is { } data
                ? data
                : new Unavailable(request.RequestId, request.Chunk.IsStorage ? UnavailableReason.UnknownEpoch : UnavailableReason.TooLarge);
        }
        catch (TrieException)
        {
            return new Unavailable(request.RequestId, UnavailableReason.UnknownEpoch);
        }
    }

    private static ByteCodes ServeCodes(IKeyValueReader store, GetByteCodes request)
    {
        long budget = Math.Min((long)Math.Min(request.Bytes, int.MaxValue), Limits.MaxResponseBytes);
        var codes = new List<ReadOnlyMemory<byte>>();
        long size = 0;
        var buffer = new ArrayBufferWriter<byte>();
        foreach (Hash256 hash in request.Hashes.Take(Limits.MaxCodeHashesPerRequest))
        {
            buffer.ResetWrittenCount();
            if (!CodeStore.TryRead(store, hash, buffer)) continue;
            codes.Add(buffer.WrittenSpan.ToArray());
            size += buffer.WrittenCount;
            if (size >= budget) break;
        }
        return new ByteCodes(request.RequestId, codes);
    }
}
