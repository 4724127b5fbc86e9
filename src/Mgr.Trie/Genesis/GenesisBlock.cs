using Mgr.Trie.Headers;

namespace Mgr.Trie.Genesis;

/// <summary>What a node needs of a genesis file once it is read: the chain config (chain id, fork schedule) and the
/// genesis header (its state root computed from the allocation, which is not kept).</summary>
public sealed record GenesisBlock(ChainConfig Config, BlockHeader Header);
