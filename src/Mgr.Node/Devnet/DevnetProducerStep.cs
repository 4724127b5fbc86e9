using Mgr.Trie.Primitives;

namespace Mgr.Node.Devnet;

/// <summary>One block produced and announced: the block, the forkchoice sent with it, and per engine either the
/// newPayload/forkchoiceUpdated statuses (e.g. "ACCEPTED/SYNCING") or why the call failed.</summary>
public sealed record DevnetProducerStep(DevnetBlock Block, ulong SafeNumber, Hash256 SafeHash, ulong FinalizedNumber, Hash256 FinalizedHash,
    IReadOnlyList<string> EngineResults);
