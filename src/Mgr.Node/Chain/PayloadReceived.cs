using Mgr.Trie.Headers;

namespace Mgr.Node.Chain;

/// <summary>A new block's header, from a payload whose block hash checked out (not executed: the node
/// trusts a block only once it is finalized).</summary>
public sealed record PayloadReceived(BlockHeader Header) : ConsensusEvent;
