using System.Diagnostics.Metrics;
using Mgr.Protocol.Messages;

namespace Mgr.Node.Metrics;

/// <summary>The swarm engine's instruments on the meter <see cref="MeterName"/> (names, units and meanings in
/// docs/metrics.md): bytes by message type, chunk outcomes, heal pulls, coverage, ride position, epoch, peers by role,
/// penalties, time to synced. One instance per engine; dispose it with the engine.</summary>
/// <remarks>Counters are thread-safe; gauges read fields the engine's loop writes.</remarks>
public sealed class SwarmMetrics : IDisposable
{
    /// <summary>The meter name exporters subscribe to.</summary>
    public const string MeterName = "MgrSync.Swarm";

    private readonly Meter _meter;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;
    private readonly Counter<long> _verified;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _duplicate;
    private readonly Counter<long> _rolled;
    private readonly Counter<long> _penalties;
    private readonly Counter<long> _healPulls;
    private double _coverage;
    private double _ridePosition;
    private long _epoch;
    private (int Seeders, int Leechers, int Unknown) _peers;
    private readonly Lock _peersLock = new();
    private double? _secondsToSynced;

    /// <summary>Creates the instruments; <paramref name="node"/> tags every measurement (e.g. the peer id or a name).</summary>
    public SwarmMetrics(string node)
    {
        Node = node;
        _meter = new Meter(MeterName);
        _bytesIn = _meter.CreateCounter<long>("mgr.swarm.bytes.in", "By", "MGR payload bytes received, by message type");
        _bytesOut = _meter.CreateCounter<long>("mgr.swarm.bytes.out", "By", "MGR payload bytes sent, by message type");
        _verified = _meter.CreateCounter<long>("mgr.swarm.chunks.verified", "{chunk}", "Chunks that verified against the epoch root and were stored");
        _rejected = _meter.CreateCounter<long>("mgr.swarm.chunks.rejected", "{chunk}", "Chunks or chunk diffs that failed verification");
        _duplicate = _meter.CreateCounter<long>("mgr.swarm.chunks.duplicate", "{chunk}", "Chunks received that were already held");
        _rolled = _meter.CreateCounter<long>("mgr.swarm.chunks.rolled_forward", "{chunk}", "Chunks rolled to a newer root by a verified diff");
        _penalties = _meter.CreateCounter<long>("mgr.swarm.penalties", "{penalty}", "Penalties given to peers, by violation");
        _healPulls = _meter.CreateCounter<long>("mgr.swarm.heal.pulls", "{chunk}", "Chunks pulled whole because no seeder served a diff to roll them forward (the bounded heal fallback)");
        _meter.CreateObservableGauge("mgr.swarm.coverage", () => Measure(_coverage), "1", "Fraction of the account keyspace held at the current root");
        _meter.CreateObservableGauge("mgr.swarm.ride.position", () => Measure(_ridePosition), "1", "Seeder ride position as a fraction of one revolution");
        _meter.CreateObservableGauge("mgr.swarm.epoch", () => Measure(Volatile.Read(ref _epoch)), "{epoch}", "Current sync epoch number");
        _meter.CreateObservableGauge("mgr.swarm.peers", ObservePeers, "{peer}", "Connected MGR peers, by the role their Status announced");
        _meter.CreateObservableGauge("mgr.swarm.time_to_synced", ObserveSynced, "s", "Seconds from engine start to a verified state");
    }

    /// <summary>The tag value of every measurement.</summary>
    public string Node { get; }

    internal void BytesIn(MessageCode code, long bytes) => _bytesIn.Add(bytes, Tag(), new("message", code.ToString()));

    internal void BytesOut(MessageCode code, long bytes) => _bytesOut.Add(bytes, Tag(), new("message", code.ToString()));

    internal void ChunkVerified(double coverage)
    {
        _verified.Add(1, Tag());
        _coverage = coverage;
    }

    internal void ChunkRolledForward(double coverage)
    {
        _rolled.Add(1, Tag());
        _coverage = coverage;
    }

    internal void ChunkRejected() => _rejected.Add(1, Tag());

    internal void ChunkDuplicate() => _duplicate.Add(1, Tag());

    internal void Penalty(ViolationReason reason) => _penalties.Add(1, Tag(), new("reason", reason.ToString()));

    internal void SetCoverage(double coverage) => _coverage = coverage;

    internal void SetRidePosition(double position) => _ridePosition = position;

    internal void SetEpoch(ulong epoch) => Volatile.Write(ref _epoch, (long)epoch);

    internal void SetPeers(int seeders, int leechers, int unknown)
    {
        lock (_peersLock) _peers = (seeders, leechers, unknown);
    }

    internal void HealPull() => _healPulls.Add(1, Tag());

    internal void Synced(TimeSpan at) => _secondsToSynced ??= at.TotalSeconds;

    public void Dispose() => _meter.Dispose();

    private KeyValuePair<string, object?> Tag() => new("node", Node);

    private Measurement<double> Measure(double value) => new(value, Tag());

    private IEnumerable<Measurement<double>> ObservePeers()
    {
        (int seeders, int leechers, int unknown) peers;
        lock (_peersLock) peers = _peers;
        return
        [
            new(peers.seeders, Tag(), new("role", "seeder")),
            new(peers.leechers, Tag(), new("role", "leecher")),
            new(peers.unknown, Tag(), new("role", "unknown")),
        ];
    }

    private IEnumerable<Measurement<double>> ObserveSynced() => _secondsToSynced is { } seconds ? [Measure(seconds)] : [];
}
