using Mgr.Node.Swarm;

namespace Mgr.Node.Simulation;

/// <summary>The engine options <c>mgr sim</c> runs every node with unless told to use the engine's own defaults
/// (<c>--engine-defaults</c>): the policy that came out of the issue-10 sweeps (spec/simulator.md, "Engine profile").
/// Only policy knobs differ from <see cref="SwarmOptions"/>' defaults; the protocol and the code are the same.</summary>
public static class SimulationProfile
{
    /// <summary>Bytes of chunks a leecher keeps requested from one holder: one chunk of the default size
    /// (<see cref="SimulationSettings.ChunkBytes"/>).</summary>
    public const long PullBytesPerHolder = 256_000;

    /// <summary>Holders a leecher keeps <see cref="PullBytesPerHolder"/> requested from at once.</summary>
    public const int HoldersPulledAtOnce = 24;

    /// <summary>The profile for engines ticking every <paramref name="tick"/> on links of at most
    /// <paramref name="uploadBytesPerSecond"/> upload, over chunks of about <paramref name="chunkBytes"/> on the wire.</summary>
    public static SwarmOptions Engine(TimeSpan tick, long uploadBytesPerSecond, double chunkBytes = PullBytesPerHolder)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(chunkBytes, 0);
        int pullsPerHolder = (int)Math.Clamp(Math.Round(PullBytesPerHolder / chunkBytes), 1, 64);
        return new SwarmOptions
        {
            // Leechers serve what they hold, so gaps are pulled from many holders at once; forwarding a first-hand chunk
            // to 16 peers at once spends 16 transfer times of one uplink on one chunk while its neighbours wait behind them.
            ForwardFanOut = 0,
            // About 256 kB requested per holder keeps every holder's queue short (a request waits behind the responses
            // queued before it); 24 holders at once keep a node's downlink busy across its neighbours. Counted in
            // bytes, not requests: with chunks of a quarter the size, one request per holder leaves it idle for a round
            // trip after each (at 256 MB, 4,096 chunks of 62.5 kB, N = 30: max 27.4 s against 21.4 s, bound 20.5 s).
            MaxPullsPerPeer = pullsPerHolder,
            MaxPullsInFlight = pullsPerHolder * HoldersPulledAtOnce,
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
            // A holder with more than four holders' worth of pulls (≈ 1 MB) queued on its uplink answers a pull Busy, and
            // is not asked again for a tick: the requester asks a holder that can answer sooner (64 MB, N = 100: median /
            // max 6.10 / 6.20 → 5.80 / 5.95 s).
            MaxServeBacklogBytes = (long)(4 * pullsPerHolder * chunkBytes),
            BusyBackoff = tick,
            EndgameChunks = 2,
            EndgameAfter = TimeSpan.FromMilliseconds(150),
        };
    }
}
