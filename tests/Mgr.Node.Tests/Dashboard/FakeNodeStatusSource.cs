using Mgr.Node.Dashboard;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Dashboard;

/// <summary>A status source for tests: a leecher holding <see cref="HeldEighths"/> of the 8 account-keyspace eighths
/// (every other eighth first, so the coverage is fragmented), two peers, and traffic that grows with each step.</summary>
internal sealed class FakeNodeStatusSource : INodeStatusSource
{
    private readonly Lock _lock = new();
    private int _heldEighths = 1;
    private int _snapshots;

    public int HeldEighths
    {
        get { lock (_lock) return _heldEighths; }
    }

    /// <summary>How many snapshots were taken (the page's polls).</summary>
    public int Snapshots => Volatile.Read(ref _snapshots);

    /// <summary>Holds one more eighth of the keyspace (up to all eight).</summary>
    public void Grow()
    {
        lock (_lock) _heldEighths = Math.Min(8, _heldEighths + 1);
    }

    public NodeStatusSnapshot Snapshot()
    {
        Interlocked.Increment(ref _snapshots);
        int held = HeldEighths;
        // Eighths 0, 2, 4, 6 first, then 1, 3, 5, 7.
        var ranges = Enumerable.Range(0, held).Select(i => i < 4 ? 2 * i : 2 * (i - 4) + 1).Select(Eighth);
        KeyRangeSet coverage = KeyRangeSet.From(ranges);
        return new NodeStatusSnapshot
        {
            TakenAt = DateTimeOffset.UtcNow,
            PeerId = "16Uiu2HAmFakeSelfPeer",
            Role = Role.Leecher,
            NetworkId = 1337,
            NetworkName = "devnet",
            Epoch = 7,
            EpochBlock = 224,
            StateRoot = Hash256.EmptyTrieRoot,
            Coverage = coverage,
            RideChunk = Eighth(held % 8),
            Synced = held == 8,
            Stages =
            [
                new StageProgress("headers", 224, 224, "blocks"),
                new StageProgress("state", held * 128, 1024, "chunks"),
            ],
            Peers =
            [
                new PeerStatus("16Uiu2HAmFakeSeederPeerOne", Role.Seeder, KeyRangeSet.Full, held * 1_000_000L, 4_000, 0),
                new PeerStatus("16Uiu2HAmFakeLeecherPeerTwo", Role.Leecher, KeyRangeSet.Of(Eighth(1)), 50_000, held * 200_000L, 2.5),
            ],
            BytesIn = held * 1_050_000L,
            BytesOut = held * 204_000L,
            ChunksVerified = held * 128,
        };
    }

    /// <summary>The i-th eighth of the keyspace.</summary>
    public static KeyRange Eighth(int index)
    {
        var start = new byte[32];
        start[0] = (byte)(index << 5);
        var end = Enumerable.Repeat((byte)0xff, 32).ToArray();
        end[0] = (byte)((index << 5) | 0x1f);
        return new KeyRange(new Hash256(start), new Hash256(end));
    }
}
