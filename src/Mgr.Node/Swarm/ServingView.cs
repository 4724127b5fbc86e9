using Mgr.Node.Storage;
using Mgr.Protocol.Chunking;

namespace Mgr.Node.Swarm;

/// <summary>What a node can serve at one moment: its store (code, headers, finalized blocks' state diffs), the epochs it
/// can produce chunks for (current first), which chunks of the current epoch it holds (a seeder holds all), and the
/// state diffs of blocks it holds in memory only (follow mode's layers; null when it follows nothing).</summary>
public sealed record ServingView(IKeyValueReader Store, IReadOnlyList<ChunkProducer> Epochs, Func<ChunkId, bool> Holds,
    Mgr.Node.Follow.StateDiffServer.LayerDiffLookup? LayerDiffs = null);
