using Mgr.Node.Swarm;

namespace Mgr.Node.Simulation;

/// <summary>The engine options <c>mgr sim</c> runs every node with unless told to use the engine's own defaults
/// (<c>--engine-defaults</c>): the policy that came out of the issue-10 sweeps (spec/simulator.md, "Engine profile").
/// Only policy knobs differ from <see cref="SwarmOptions"/>' defaults; the protocol and the code are the same.</summary>
public static class SimulationProfile
{
    /// <summary>The profile for engines ticking every <paramref name="tick"/> on links of at most
    /// <paramref name="uploadBytesPerSecond"/> upload.</summary>
    public static SwarmOptions Engine(TimeSpan tick, long uploadBytesPerSecond) => new()
    {
        // Leechers serve what they hold, so gaps are pulled from many holders at once; forwarding a first-hand chunk to
        // 16 peers at once spends 16 transfer times of one uplink on one chunk while its neighbours wait behind them.
        ForwardFanOut = 0,
        // One request per holder keeps every holder's queue short (a request waits behind the responses queued before
        // it); 24 in flight keeps a node's downlink busy across its neighbours.
        MaxPullsPerPeer = 1,
        MaxPullsInFlight = 24,
        // Haves every tick: a chunk's next hop starts as soon as its holders are known.
        HaveBatchInterval = tick,
        // With PushFanOut 1 a seeder's neighbour is pushed one chunk in (neighbours) ride steps: waiting for the ride
        // longer than that only delays it.
        PullAfterIdle = TimeSpan.FromMilliseconds(200),
        PullLagChunks = 1,
        SeederPullAfterIdle = TimeSpan.FromSeconds(1),
        // Every simulated node has the epoch at t = 0; the ride waits one Status round trip and a tick, not 500 ms.
        RideStartDelay = TimeSpan.FromMilliseconds(100),
        // The ride keeps its uplink busy for about three ticks, no more, so responses and Haves do not wait behind it.
        MaxQueuedBytesTotal = Math.Max(1_000_000, (long)(3 * uploadBytesPerSecond * tick.TotalSeconds)),
        // Endgame: with at most two chunks missing, a request outstanding for 150 ms (a response queued behind others
        // in its holder's uplink) is also asked of a second holder; the later answer is a duplicate.
        EndgameChunks = 2,
        EndgameAfter = TimeSpan.FromMilliseconds(150),
    };
}
