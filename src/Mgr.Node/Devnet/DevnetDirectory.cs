namespace Mgr.Node.Devnet;

/// <summary>The files of a devnet data directory (spec/devnet.md): parameters, genesis, chain log, preverified hashes
/// and the full node store the producer owns.</summary>
public sealed record DevnetDirectory(string Root)
{
    /// <summary>The devnet's parameters (<see cref="DevnetParameters"/>).</summary>
    public string ParametersPath => Path.Combine(Root, "devnet.json");

    /// <summary>The geth-style genesis.</summary>
    public string GenesisPath => Path.Combine(Root, "genesis.json");

    /// <summary>The append-only chain log (<see cref="ChainLog"/>).</summary>
    public string ChainLogPath => Path.Combine(Root, "chain.log");

    /// <summary>Trusted hash every 192 blocks (<see cref="Headers.PreverifiedHashes"/>).</summary>
    public string PreverifiedHashesPath => Path.Combine(Root, "preverified-hashes.txt");

    /// <summary>The RocksDB store holding headers, canonical chain and the head state with all trie nodes.</summary>
    public string StorePath => Path.Combine(Root, "db");

    /// <summary>Scratch space for the sorted bulk import.</summary>
    public string TemporaryPath => Path.Combine(Root, "tmp");
}
