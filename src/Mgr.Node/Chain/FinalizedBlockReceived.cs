using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Chain;

/// <summary>Block <see cref="Hash"/> is finalized. <see cref="Header"/> is set when the driver sent the
/// block's payload earlier (it usually does); otherwise the node fetches the header by hash from peers.</summary>
public sealed record FinalizedBlockReceived(Hash256 Hash, BlockHeader? Header) : ConsensusEvent;
