using System.Buffers;
using Mgr.Node.Storage;
using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using static Mgr.Node.Tests.Storage.KeyIntervals;

namespace Mgr.Node.Tests.Storage;

/// <summary>Round trips and bad input of the small per-domain accessors.</summary>
public sealed class DomainStoreTests : IDisposable
{
    private readonly InMemoryKeyValueStore _store = new();

    public void Dispose() => _store.Dispose();

    private void Write(Action<IWriteBatch> write)
    {
        using IWriteBatch batch = _store.BeginBatch();
        write(batch);
        batch.Commit();
    }

    [Fact]
    public void Header_segments_round_trip_in_ascending_order()
    {
        var later = new HeaderSegment(500, 691, Key(1), Key(2));
        var earlier = new HeaderSegment(10, 201, Key(3), Key(4));

        Write(batch =>
        {
            HeaderSegmentStore.Write(batch, later);
            HeaderSegmentStore.Write(batch, earlier);
        });

        Assert.Equal([earlier, later], HeaderSegmentStore.ReadAll(_store));
        Write(batch => HeaderSegmentStore.Delete(batch, 10));
        Assert.Equal([later], HeaderSegmentStore.ReadAll(_store));
    }

    [Fact]
    public void Header_segment_that_ends_before_it_starts_is_rejected()
    {
        using IWriteBatch batch = _store.BeginBatch();

        Assert.Throws<ArgumentException>(() => HeaderSegmentStore.Write(batch, new HeaderSegment(5, 4, Key(1), Key(2))));
    }

    [Fact]
    public void Stage_checkpoints_round_trip_with_their_cursor()
    {
        Write(batch =>
        {
            StageCheckpointStore.Write(batch, 3, 1234, [9, 8, 7]);
            StageCheckpointStore.Write(batch, 4, 5, []);
        });

        Assert.True(StageCheckpointStore.TryRead(_store, 3, out ulong number, out byte[] cursor));
        Assert.Equal(1234UL, number);
        Assert.Equal([9, 8, 7], cursor);
        Assert.True(StageCheckpointStore.TryRead(_store, 4, out _, out byte[] empty));
        Assert.Empty(empty);
        Assert.False(StageCheckpointStore.TryRead(_store, 5, out _, out _));
    }

    [Fact]
    public void Stage_cursor_over_the_limit_is_rejected()
    {
        using IWriteBatch batch = _store.BeginBatch();

        Assert.Throws<ArgumentException>(() => StageCheckpointStore.Write(batch, 1, 1, new byte[StageCheckpointStore.MaxCursorBytes + 1]));
    }

    [Fact]
    public void Peer_penalties_round_trip_and_tell_whether_a_ban_is_active()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_000_000);
        var penalty = new PeerPenalty(-50, now.ToUnixTimeMilliseconds() + 1);

        Write(batch => PeerPenaltyStore.Write(batch, [0x12, 0x20, 0xaa], penalty));

        Assert.True(PeerPenaltyStore.TryRead(_store, [0x12, 0x20, 0xaa], out PeerPenalty read));
        Assert.Equal(penalty, read);
        Assert.True(read.IsBannedAt(now));
        Assert.False(read.IsBannedAt(now.AddSeconds(1)));
        Assert.Single(PeerPenaltyStore.ReadAll(_store));
    }

    [Fact]
    public void Peer_id_that_is_empty_or_too_long_is_rejected()
    {
        using IWriteBatch batch = _store.BeginBatch();

        Assert.Throws<ArgumentException>(() => PeerPenaltyStore.Write(batch, [], default));
        Assert.Throws<ArgumentException>(() => PeerPenaltyStore.Write(batch, new byte[PeerPenaltyStore.MaxPeerIdBytes + 1], default));
    }

    [Fact]
    public void Code_round_trips_by_hash()
    {
        byte[] code = [0x60, 0x00, 0x60, 0x00];
        Hash256 hash = Keccak256.Compute(code);

        Write(batch => CodeStore.Write(batch, hash, code));

        var read = new ArrayBufferWriter<byte>();
        Assert.True(CodeStore.TryRead(_store, hash, read));
        Assert.Equal(code, read.WrittenSpan.ToArray());
    }

    [Fact]
    public void Trie_node_store_reads_committed_nodes_and_writes_into_its_batch()
    {
        byte[] small = [0xc1, 0x80];
        byte[] large = new byte[2000]; // beyond the stack read buffer
        large[0] = 0xc0;
        IWriteBatch batch = _store.BeginBatch();
        var nodes = new TrieNodeStore(_store, batch);

        nodes.Put(Keccak256.Compute(small), small);
        nodes.Put(Keccak256.Compute(large), large);

        Assert.False(nodes.TryGet(Keccak256.Compute(small), out _)); // not committed yet
        batch.Commit();
        batch.Dispose();
        Assert.True(nodes.TryGet(Keccak256.Compute(small), out ReadOnlyMemory<byte> readSmall));
        Assert.True(nodes.TryGet(Keccak256.Compute(large), out ReadOnlyMemory<byte> readLarge));
        Assert.Equal(small, readSmall.ToArray());
        Assert.Equal(large, readLarge.ToArray());
    }

    [Fact]
    public void Read_only_trie_node_store_refuses_writes()
    {
        var nodes = new TrieNodeStore(_store);

        Assert.Throws<InvalidOperationException>(() => nodes.Put(Hash256.Zero, [0x80]));
    }
}
