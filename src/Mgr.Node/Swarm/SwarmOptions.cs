using Mgr.Node.Peers;
using Mgr.Protocol.ForkIds;
using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>Configuration of a <see cref="SwarmEngine"/>: chain identity, role, and the knobs of pushing, forwarding,
/// pulling and penalties (spec/swarm.md). Defaults suit a devnet on one machine.</summary>
public sealed record SwarmOptions
{
    /// <summary>Seeder (holds the full state of each finalized epoch it is given) or leecher.</summary>
    public Role Role { get; init; } = Role.Leecher;

    /// <summary>Network id sent in Status and required of peers.</summary>
    public ulong NetworkId { get; init; } = 1;

    /// <summary>Genesis hash sent in Status and required of peers.</summary>
    public Hash256 GenesisHash { get; init; }

    /// <summary>Fork id sent in Status.</summary>
    public ForkId ForkId { get; init; }

    /// <summary>Accepts or rejects a peer's fork id (EIP-2124 filter); the default accepts all.</summary>
    public Func<ForkId, bool> AcceptsForkId { get; init; } = static _ => true;

    /// <summary>Why a peer whose Status is <paramref name="status"/> cannot share a swarm with this node (another
    /// protocol version, network, genesis or fork); null when it can.</summary>
    public DisconnectReason? IncompatibilityOf(Status status) =>
        status.Version < 1 ? DisconnectReason.IncompatibleVersion
        : status.NetworkId != NetworkId || status.GenesisHash != GenesisHash ? DisconnectReason.IncompatibleNetwork
        : !AcceptsForkId(status.ForkId) ? DisconnectReason.IncompatibleFork
        : null;

    /// <summary>Peers a seeder pushes each ride chunk to (those lacking it with the least pushed so far).</summary>
    public int PushFanOut { get; init; } = 1;

    /// <summary>Peers a leecher forwards a first-hand chunk to, at most (only peers lacking it).</summary>
    public int ForwardFanOut { get; init; } = 16;

    /// <summary>After pushing a chunk the seeder's ride pushes it again only this much later: time for its receiver
    /// to forward it and for the Haves to come back, so a fast ride does not chase its own forwards.</summary>
    public TimeSpan RepushAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A seeder starts the ride this long after taking up a new epoch, so peers following the same chain have
    /// time to move to it and announce their have-sets before chunks are handed out.</summary>
    public TimeSpan RideStartDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Seeder ride upload budget in bytes per second; 0 means limited only by back-pressure.</summary>
    public long UploadBytesPerSecond { get; init; }

    /// <summary>The ride hands the loop back after pushing this many bytes in one go (its chunks are produced on the
    /// loop: without a pause, a peer that drains as fast as they are produced would keep every request and Haves waiting
    /// for the whole ride); the host continues it once the loop is idle. 0 = no pause.</summary>
    public long RideBurstBytes { get; init; } = 1024 * 1024;

    /// <summary>A peer with more than this queued towards it receives no pushes until it drains.</summary>
    public long MaxQueuedBytesPerPeer { get; init; } = 1024 * 1024;

    /// <summary>The ride (and forwarding) hands out no more chunks while this much is queued towards all peers together
    /// (the sessions share one uplink: a deep backlog delays every response and Haves behind it); 0 = no such limit.</summary>
    public long MaxQueuedBytesTotal { get; init; }

    /// <summary>A chunk request is answered Busy while more than this is queued towards all peers together, so that the
    /// requester asks another holder rather than wait behind the queue; 0 = no such limit.</summary>
    public long MaxServeBacklogBytes { get; init; }

    /// <summary>How long a peer that answered a chunk request Busy is not asked for chunks again (zero: it may be asked
    /// at the next tick). Over TCP with the engine's other defaults a backoff of 250 ms raised the duplicates of
    /// <c>SwarmOverTcpTests</c>' leechers to 12–26%: a seeder answers Busy while its ride fills the session, and the
    /// chunk was then pulled from a leecher while the ride was pushing it.</summary>
    public TimeSpan BusyBackoff { get; init; }

    /// <summary>A request unanswered for this long is dropped, penalized (minor) and retried elsewhere.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pull requests a leecher keeps outstanding towards one peer.</summary>
    public int MaxPullsPerPeer { get; init; } = 2;

    /// <summary>Pull requests a leecher keeps outstanding in total.</summary>
    public int MaxPullsInFlight { get; init; } = 8;

    /// <summary>Haves are flushed at least this often while chunks arrive (spec §4.4).</summary>
    public TimeSpan HaveBatchInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Haves are flushed after this many new chunks even before the interval.</summary>
    public int HaveBatchChunks { get; init; } = 64;

    /// <summary>With no ride chunk (pushed by a seeder or forwarded by a leecher) for this long, every missing chunk
    /// becomes a pull candidate; the wait starts when the leecher announces its epoch.</summary>
    public TimeSpan PullAfterIdle { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gaps are pulled from seeders only after no ride chunk reached us for this long; before that only from
    /// other leechers (the seeder's ride hands out each chunk once; pulls from it would cost a copy per leecher).</summary>
    public TimeSpan SeederPullAfterIdle { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A missing chunk this many ride steps behind the furthest pushed chunk becomes a pull candidate.</summary>
    public int PullLagChunks { get; init; } = 4;

    /// <summary>Endgame: once at most this many chunks (account and storage) are missing, a pull slot left free asks a
    /// second holder for a chunk whose request has been outstanding at least <see cref="EndgameAfter"/> (oldest first);
    /// whichever answer comes first is kept, the other is a duplicate (no penalty: both were asked for). 0 = off (the
    /// default: with a small state of few large chunks each second request costs a large share of it).</summary>
    public int EndgameChunks { get; init; }

    /// <summary>Endgame: how long a request must have been outstanding before a second holder is asked.</summary>
    public TimeSpan EndgameAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>At a new epoch a leecher that holds chunks at older roots first asks for their diffs, announcing its old
    /// have-set so the ride does not push it what it is rolling; it announces the new epoch (and starts pulling) once
    /// nothing is left to roll or this long after a seeder of the new epoch appeared, whichever comes first. Rolling
    /// goes on after the announcement (a chunk pushed meanwhile simply ends its roll).</summary>
    public TimeSpan RollGrace { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Chunk-diff requests a leecher keeps outstanding towards one seeder while rolling forward (diffs are
    /// small; the seeder's cost is reading the chunk under both roots).</summary>
    public int MaxDiffsPerPeer { get; init; } = 8;
    /// <summary>Control messages (Status, Haves, requests) a peer may send per second on average. An honest peer sends
    /// at most a few per tick (two pulls, a code request, a Haves); past the budget requests are answered Busy,
    /// announcements dropped, and each excess message is a minor penalty (<see cref="ViolationReason.TooManyRequests"/>).</summary>
    public double MaxControlMessagesPerSecond { get; init; } = 256;

    /// <summary>Control messages a peer may send in one burst above the average rate.</summary>
    public int ControlMessageBurst { get; init; } = 256;

    /// <summary>The leaf target of the chunk depth rule (spec/mgr-protocol.md §5.2) a seeder applies when it indexes an
    /// epoch. Every node of a network must use the same value; only a simulation of a scaled-down state changes it, so
    /// that its chunks have the granularity real chunks of the protocol target have.</summary>
    public int TargetLeavesPerChunk { get; init; } = Limits.TargetLeavesPerChunk;

    /// <summary>Seeds the order in which this node pulls equally rare gaps; null draws one at random. Nodes sharing one
    /// order would all ask for the same chunk first and queue at the same few holders; a simulation sets it per node so
    /// that runs repeat.</summary>
    public ulong? TieBreakSeed { get; init; }

    /// <summary>Pulls equally rare chunks in key order, from a starting key of this node's own (as snap sync walks its
    /// ranges), instead of in a scattered order of its own. A leecher's progress then stays a few intervals where the
    /// scattered order leaves thousands until the end. Client–server simulations set it; swarm leechers should not:
    /// neighbours pulling neighbouring chunks from the same holders finish later (spec/simulator.md).</summary>
    public bool PullInKeyOrder { get; init; }

    /// <summary>Scores, decay and bans.</summary>
    public PenaltyPolicy Penalties { get; init; } = new();
}
