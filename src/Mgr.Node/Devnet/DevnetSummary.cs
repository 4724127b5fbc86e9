using Mgr.Trie.Primitives;

namespace Mgr.Node.Devnet;

/// <summary>What <c>mgr devnet generate</c> reports: genesis and head, and the size of the head state (accounts, and
/// bytes of flat state: keys + values of accounts, storage slots and code).</summary>
public sealed record DevnetSummary(Hash256 GenesisHash, Hash256 StateRoot, ulong HeadNumber, Hash256 HeadHash, Hash256 HeadStateRoot,
    long Accounts, long StateBytes);
