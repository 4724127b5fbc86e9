namespace Mgr.Node.Simulation;

/// <summary>One simulation run (spec/simulator.md): population, rates in bytes per second, latency, churn, mode, the
/// shape of the real state whose wire size is scaled to <see cref="StateBytes"/>, and the topology.</summary>
public sealed record SimulationSettings
{
    /// <summary>Nodes in total, seeders included.</summary>
    public int Nodes { get; init; } = 10;

    /// <summary>Seeders among <see cref="Nodes"/>.</summary>
    public int Seeders { get; init; } = 1;

    /// <summary>State size F on the wire (one full ride), in bytes.</summary>
    public long StateBytes { get; init; } = 64L * 1000 * 1000;

    /// <summary>Upload capacity of each seeder.</summary>
    public long SeederUploadBytesPerSecond { get; init; } = 12_500_000;

    /// <summary>Upload capacity of each leecher.</summary>
    public long PeerUploadBytesPerSecond { get; init; } = 12_500_000;

    /// <summary>Download capacity of each leecher (0 = unlimited).</summary>
    public long PeerDownloadBytesPerSecond { get; init; } = 50_000_000;

    /// <summary>One-way latency of every session.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Control messages go ahead of bulk data on each access link (fq_codel's sparse-flow priority; see
    /// <see cref="Mgr.Node.Swarm.Simulation.SimulatedNetwork.ControlFirst"/>); false = one FIFO per direction.</summary>
    public bool ControlFirst { get; init; } = true;

    /// <summary>Fraction of leechers that leave once and come back (0–1).</summary>
    public double Churn { get; init; }

    /// <summary>Swarm or client–server.</summary>
    public SimulationMode Mode { get; init; } = SimulationMode.Swarm;

    /// <summary>Seed of every random choice (state, topology, churn).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Sessions each node opens to random others in swarm mode (so about twice as many per node).</summary>
    public int Degree { get; init; } = 8;

    /// <summary>Sessions a leecher keeps in swarm mode: one with fewer after every node opened <see cref="Degree"/> dials
    /// more leechers until it has this many, as <c>mgr node</c> dials by peer exchange up to <c>--target-peers</c>
    /// (inbound sessions included); 0 = no top-up.</summary>
    public int TargetPeers { get; init; } = 16;

    /// <summary>Engine tick interval.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>Real accounts in the state.</summary>
    public int Accounts { get; init; } = 8_200;

    /// <summary>Real accounts with external storage (each adds a storage chunk).</summary>
    public int Contracts { get; init; }

    /// <summary>Storage slots of each contract (more than 256 makes the storage external).</summary>
    public int SlotsPerContract { get; init; } = 300;

    /// <summary>Wire size a chunk should have once scaled, in bytes: the simulated state is far smaller than
    /// <see cref="StateBytes"/>, so the chunk depth rule's leaf target is scaled down with it, giving chunks of about this
    /// size (within the rule's factor of 4 either way, the depth being a whole number). The default, 256 kB, is about
    /// what a chunk of the protocol's 2,048-leaf target weighs on a real chain. 0 keeps the protocol's target (the
    /// simulated state then has the chunk count its real size gives, e.g. 16 for 8,200 accounts).</summary>
    public long ChunkBytes { get; init; } = 256_000;

    /// <summary>Engine knobs every node starts from (role, chain identity, the depth rule's target, each node's
    /// tie-break seed and the client–server overrides are set by the simulator). Default: <see cref="SimulationProfile"/>
    /// for the default tick and rates.</summary>
    public Mgr.Node.Swarm.SwarmOptions Engine { get; init; } = SimulationProfile.Engine(TimeSpan.FromMilliseconds(25), 12_500_000);

    /// <summary>Virtual time after which the run stops even if some leecher has not synced; null means 20 bounds (of
    /// the mode) plus a minute.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Coverage samples over the run.</summary>
    public int Samples { get; init; } = 60;

    /// <summary>Leechers in the run.</summary>
    public int Leechers => Nodes - Seeders;

    /// <summary>The leaf target of the depth rule every node of this run uses (see <see cref="ChunkBytes"/>).</summary>
    public int TargetLeavesPerChunk()
    {
        if (ChunkBytes == 0) return Mgr.Protocol.Messages.Limits.TargetLeavesPerChunk;
        double target = AccountTrieLeaves() * (double)ChunkBytes / StateBytes;
        return (int)Math.Clamp(Math.Round(target), 1, Mgr.Protocol.Messages.Limits.TargetLeavesPerChunk);
    }

    // Leaves the account chunks carry: accounts and their inline storage slots.
    private long AccountTrieLeaves() =>
        Accounts + (SlotsPerContract <= Mgr.Protocol.Messages.Limits.InlineStorageMaxSlots ? (long)Contracts * SlotsPerContract : 0);

    /// <summary>About how many bytes a chunk of this run weighs on the wire: the state over its chunks (the account
    /// chunks the depth rule gives the leaf target, plus one per contract with external storage).</summary>
    public double ExpectedChunkBytes()
    {
        int depth = Mgr.Protocol.Chunking.ChunkDepth.Select((ulong)AccountTrieLeaves(), TargetLeavesPerChunk());
        double chunks = Math.Pow(16, depth) + (SlotsPerContract > Mgr.Protocol.Messages.Limits.InlineStorageMaxSlots ? Contracts : 0);
        return StateBytes / chunks;
    }

    /// <summary>Throws <see cref="ArgumentException"/> on a setting out of range.</summary>
    public void Validate()
    {
        if (Seeders < 1) throw new ArgumentException("At least one seeder is needed.", nameof(Seeders));
        if (Leechers < 1) throw new ArgumentException("At least one leecher is needed (nodes > seeders).", nameof(Nodes));
        if (Nodes > 100_000) throw new ArgumentException("At most 100,000 nodes.", nameof(Nodes));
        if (StateBytes < 1) throw new ArgumentException("The state size must be positive.", nameof(StateBytes));
        if (SeederUploadBytesPerSecond < 1 || PeerUploadBytesPerSecond < 1)
            throw new ArgumentException("Upload rates must be positive.", nameof(PeerUploadBytesPerSecond));
        if (PeerDownloadBytesPerSecond < 0) throw new ArgumentException("The download rate cannot be negative.", nameof(PeerDownloadBytesPerSecond));
        if (Latency < TimeSpan.Zero) throw new ArgumentException("Latency cannot be negative.", nameof(Latency));
        if (Churn is < 0 or > 1 || double.IsNaN(Churn)) throw new ArgumentException("Churn is a fraction between 0 and 1.", nameof(Churn));
        if (ChunkBytes < 0) throw new ArgumentException("The chunk size cannot be negative.", nameof(ChunkBytes));
        if (Degree < 1) throw new ArgumentException("Degree must be at least 1.", nameof(Degree));
        if (TargetPeers < 0) throw new ArgumentException("TargetPeers must not be negative.", nameof(TargetPeers));
        if (Accounts is < 1 or > 200_000) throw new ArgumentException("Accounts must be between 1 and 200,000.", nameof(Accounts));
        if (Contracts < 0 || Contracts > Accounts) throw new ArgumentException("Contracts must be between 0 and the account count.", nameof(Contracts));
        if (SlotsPerContract is < 1 or > 100_000) throw new ArgumentException("Slots per contract must be between 1 and 100,000.", nameof(SlotsPerContract));
    }
}
