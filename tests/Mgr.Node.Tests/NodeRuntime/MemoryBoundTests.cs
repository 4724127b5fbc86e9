using Mgr.Node.Headers;
using Mgr.Node.Peers;
using Mgr.Node.Storage.RocksDb;
using Mgr.Node.Swarm;
using Mgr.Protocol.Host;
using Mgr.Protocol.Messages;

namespace Mgr.Node.Tests.NodeRuntime;

/// <summary>The memory bound of docs/limits.md §2, summed from the defaults a running <c>mgr node</c> uses (its store is
/// opened with <see cref="RocksDbOptions.Default"/>, its host and MGR transport with default options).</summary>
public sealed class MemoryBoundTests
{
    private const long MiB = 1 << 20;

    // Not configured but measured: the .NET runtime, code and thread stacks of an idle node (docs/limits.md §2).
    private const long RuntimeBytes = 150 * MiB;

    [Fact]
    public void The_defaults_a_node_runs_with_add_up_to_at_most_one_GiB()
    {
        var transport = new SwarmTransportOptions();
        int streamWindow = new HostOptions().Yamux.MaxStreamWindowBytes;
        RocksDbOptions store = RocksDbOptions.Default;
        // A session: its frame reader (< 1 MiB: larger frames are in the inbound frame budget), messages decoded but not yet
        // handled (each < 1 MiB, same reason), the MGR stream's receive window, and the peer's have-set (two keys an interval).
        long session = MiB + transport.MaxUnhandledMessagesPerSession * MiB + streamWindow + RemotePeer.MaxTrackedIntervals * 64L;

        long total = RuntimeBytes
            + (long)store.BlockCacheBytes + (long)store.TotalWriteBufferBytes
            + transport.MaxInboundFrameBytes + transport.MaxSessions * session + transport.MaxTotalQueuedBytes + Limits.MaxStateDataBytes
            + HeaderSyncOptions.DefaultMemoryLimitBytes;

        Assert.True(total <= 1024 * MiB, $"{total / MiB} MiB");
    }
}
