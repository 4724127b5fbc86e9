using Mgr.Node.Storage;
using Mgr.Protocol.Chunking;

namespace Mgr.Node.Swarm;

/// <summary>What a node can serve at one moment: its store (code), the epochs it can produce chunks for (current
/// first) and which chunks of the current epoch it holds (a seeder holds all).</summary>
public sealed record ServingView(IKeyValueReader Store, IReadOnlyList<ChunkProducer> Epochs, Func<ChunkId, bool> Holds);
