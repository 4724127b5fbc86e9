using Mgr.Trie.Primitives;

namespace Mgr.Node.Chain;

/// <summary>A forkchoice update: the new head, safe and finalized hashes (zero when not yet known).</summary>
public sealed record HeadUpdated(Hash256 Head, Hash256 Safe, Hash256 Finalized) : ConsensusEvent;
