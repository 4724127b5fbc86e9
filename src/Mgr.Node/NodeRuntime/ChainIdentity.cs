using Mgr.Protocol.ForkIds;
using Mgr.Trie.Genesis;
using Mgr.Trie.Headers;

namespace Mgr.Node.NodeRuntime;

/// <summary>Who the node's chain is, from its genesis.json: the genesis header (whose hash every Status carries and
/// which is the default weak-subjectivity checkpoint), the network id (the config's chain id) and the fork schedule
/// (EIP-2124/6122) that gives this node's fork id and judges its peers'.</summary>
public sealed record ChainIdentity(BlockHeader Genesis, ulong NetworkId, ForkSchedule Forks)
{
    /// <summary>Builds the identity from a genesis file's block.</summary>
    public static ChainIdentity From(GenesisBlock genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        BlockHeader header = genesis.Header;
        ChainConfig config = genesis.Config;
        var forks = new ForkSchedule(header.Hash, config.ForkBlocks.Values, config.ForkTimes.Values, header.Timestamp);
        return new ChainIdentity(header, config.ChainId, forks);
    }

    /// <summary>The fork id announced by a node whose head is <paramref name="head"/>.</summary>
    public ForkId ForkIdAt(BlockHeader head)
    {
        ArgumentNullException.ThrowIfNull(head);
        return Forks.ForkIdAt(head.Number, head.Timestamp);
    }

    /// <summary>True when a peer announcing <paramref name="remote"/> can be on our chain (EIP-2124 rules).</summary>
    public bool Accepts(ForkId remote, BlockHeader head)
    {
        ArgumentNullException.ThrowIfNull(head);
        return Forks.Validate(remote, head.Number, head.Timestamp) == ForkIdValidation.Accept;
    }
}
