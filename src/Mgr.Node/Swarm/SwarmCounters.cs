using Mgr.Protocol.Messages;

namespace Mgr.Node.Swarm;

/// <summary>Running totals of one engine, readable at any time (tests, the demo's table, the simulator). Payload bytes
/// are RLP payload sizes before framing and compression, counted per message code.</summary>
/// <remarks>Written by the engine's loop only; reads from other threads see possibly stale but untorn values.</remarks>
public sealed class SwarmCounters
{
    private readonly long[] _bytesIn = new long[32];
    private readonly long[] _bytesOut = new long[32];

    /// <summary>Payload bytes received in total.</summary>
    public long BytesIn => _bytesIn.Sum();

    /// <summary>Payload bytes sent in total.</summary>
    public long BytesOut => _bytesOut.Sum();

    /// <summary>Payload bytes received as <paramref name="code"/>.</summary>
    public long BytesInOf(MessageCode code) => (int)code < _bytesIn.Length ? Volatile.Read(ref _bytesIn[(int)code]) : 0;

    /// <summary>Payload bytes sent as <paramref name="code"/>.</summary>
    public long BytesOutOf(MessageCode code) => (int)code < _bytesOut.Length ? Volatile.Read(ref _bytesOut[(int)code]) : 0;

    /// <summary>Chunks (account or storage) that verified and were stored.</summary>
    public long ChunksVerified { get; internal set; }

    /// <summary>Chunks that failed verification.</summary>
    public long ChunksRejected { get; internal set; }

    /// <summary>Endgame requests: a second holder asked for a chunk whose first request waited long.</summary>
    public long EndgameRequests { get; internal set; }

    /// <summary>Chunks received that were already held.</summary>
    public long ChunksDuplicate { get; internal set; }

    /// <summary>Payload bytes of duplicate chunks.</summary>
    public long DuplicateBytes { get; internal set; }

    /// <summary>Chunks rolled forward to a newer root by a verified diff.</summary>
    public long ChunksRolledForward { get; internal set; }

    /// <summary>Chunks of the epoch this leecher still announced that arrived after it moved on: verified at that root and
    /// kept, to be rolled forward.</summary>
    public long ChunksKeptForRolling { get; internal set; }

    /// <summary>Chunks held at an older root that no seeder would roll forward by a diff, so they were pulled whole.</summary>
    public long HealPulls { get; internal set; }

    /// <summary>Chunks pushed by the seeder's ride.</summary>
    public long ChunksPushed { get; internal set; }

    /// <summary>Chunks forwarded to peers that lacked them.</summary>
    public long ChunksForwarded { get; internal set; }

    /// <summary>GetStateData pull requests sent.</summary>
    public long PullRequests { get; internal set; }

    /// <summary>Responses that came after their request had timed out (dropped or, for chunks, still used; not penalized).</summary>
    public long LateResponses { get; internal set; }

    /// <summary>Penalties given to peers.</summary>
    public long PenaltiesGiven { get; internal set; }

    /// <summary>Engine time when the state verified (null before).</summary>
    public TimeSpan? SyncedAt { get; internal set; }

    /// <summary>Share of the account keyspace a restarted leecher found already held at its first epoch's root.</summary>
    public double ResumedCoverage { get; internal set; }

    internal void CountIn(MessageCode code, long bytes)
    {
        if ((int)code < _bytesIn.Length) Interlocked.Add(ref _bytesIn[(int)code], bytes);
    }

    internal void CountOut(MessageCode code, long bytes)
    {
        if ((int)code < _bytesOut.Length) Interlocked.Add(ref _bytesOut[(int)code], bytes);
    }
}
