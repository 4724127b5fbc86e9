using Mgr.Node.Storage;
using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using static Mgr.Node.Tests.Storage.KeyIntervals;

namespace Mgr.Node.Tests.Storage;

public sealed class ChunkStoreTests : IDisposable
{
    private static readonly Hash256 R1 = RootOf(1), R2 = RootOf(2);
    private readonly InMemoryKeyValueStore _store = new();

    public void Dispose() => _store.Dispose();

    private static VerifiedChunk Chunk(Hash256 root, KeyInterval interval, byte tag, params byte[] keyFirstBytes)
    {
        FlatLeaf[] accounts = [.. keyFirstBytes.Select(first => new FlatLeaf(Key(first, tag), new byte[] { tag, first }))];
        StorageSlotLeaf[] slots = [.. accounts.Select(a => new StorageSlotLeaf(a.Key, Key(0x99, tag), new byte[] { tag }))];
        byte[] rlp = [0xc2, tag, tag];
        return new VerifiedChunk(root, interval, accounts, slots, [new TrieNodeBlob(Keccak256.Compute(rlp), rlp)]);
    }

    private List<(byte[] Key, byte[] Value)> Entries(StoreColumn column)
    {
        var entries = new List<(byte[], byte[])>();
        using IRangeCursor cursor = _store.Iterate(column, default, default);
        while (cursor.MoveNext()) entries.Add((cursor.Key.ToArray(), cursor.Value.ToArray()));
        return entries;
    }

    [Fact]
    public void Commits_leaves_slots_nodes_and_progress_together()
    {
        VerifiedChunk chunk = Chunk(R1, Of(0x10, 0x1f), 7, 0x10, 0x15, 0x1f);

        ChunkStore.Commit(_store, chunk);

        Assert.Equal(chunk.Accounts.Select(a => a.Key.ToArray()), Entries(Schema.Accounts).Select(e => e.Key));
        Assert.Equal(3, Entries(Schema.StorageSlots).Count);
        Assert.True(TrieNodeStore.TryRead(_store, chunk.Nodes[0].Hash, out byte[]? rlp));
        Assert.Equal(chunk.Nodes[0].Rlp.ToArray(), rlp);
        Assert.Equal([Of(0x10, 0x1f)], SyncProgressStore.Read(_store, R1));
    }

    [Fact]
    public void Recommitting_an_interval_at_a_new_root_replaces_its_leaves_and_claim()
    {
        ChunkStore.Commit(_store, Chunk(R1, Of(0x00, 0x3f), 1, 0x05, 0x15, 0x25, 0x35));

        ChunkStore.Commit(_store, Chunk(R2, Of(0x10, 0x2f), 2, 0x12));

        Assert.Equal([0x05, 0x12, 0x35], Entries(Schema.Accounts).Select(e => e.Key[0]));
        Assert.Equal([1, 2, 1], Entries(Schema.Accounts).Select(e => e.Value[0]));
        Assert.Equal([0x05, 0x12, 0x35], Entries(Schema.StorageSlots).Select(e => e.Key[0]));
        Assert.Equal([Of(0x00, 0x0f), Of(0x30, 0x3f)], SyncProgressStore.Read(_store, R1));
        Assert.Equal([Of(0x10, 0x2f)], SyncProgressStore.Read(_store, R2));
    }

    [Fact]
    public void Recommitting_the_same_interval_drops_leaves_the_new_chunk_does_not_have()
    {
        ChunkStore.Commit(_store, Chunk(R1, Of(0x10, 0x1f), 1, 0x11, 0x12));

        ChunkStore.Commit(_store, Chunk(R1, Of(0x10, 0x1f), 2, 0x13));

        Assert.Equal([0x13], Entries(Schema.Accounts).Select(e => e.Key[0]));
        Assert.Equal([Of(0x10, 0x1f)], SyncProgressStore.Read(_store, R1));
    }

    [Fact]
    public void Deletes_storage_of_the_whole_interval_up_to_the_last_key()
    {
        ChunkStore.Commit(_store, Chunk(R1, KeyInterval.All, 1, 0x00, 0xff));

        ChunkStore.Commit(_store, Chunk(R2, Of(0xf0, 0xff), 2));

        Assert.Equal([0x00], Entries(Schema.Accounts).Select(e => e.Key[0]));
        Assert.Equal([0x00], Entries(Schema.StorageSlots).Select(e => e.Key[0]));
    }

    [Fact]
    public void Replaces_leaves_written_outside_progress_in_the_chunk_interval()
    {
        using (IWriteBatch batch = _store.BeginBatch())
        {
            batch.Put(Schema.Accounts, Key(0x18).ToArray(), [0xee]); // e.g. a bulk import that wrote no progress
            batch.Put(Schema.Accounts, Key(0x28).ToArray(), [0xee]);
            batch.Commit();
        }

        ChunkStore.Commit(_store, Chunk(R1, Of(0x10, 0x1f), 1, 0x11));

        Assert.Equal([0x11, 0x28], Entries(Schema.Accounts).Select(e => e.Key[0]));
    }

    [Fact]
    public void Rejects_a_leaf_outside_the_interval_before_writing_anything()
    {
        VerifiedChunk chunk = Chunk(R1, Of(0x10, 0x1f), 1, 0x10, 0x20);

        ArgumentException error = Assert.Throws<ArgumentException>(() => ChunkStore.Commit(_store, chunk));

        Assert.Contains("outside the chunk interval", error.Message, StringComparison.Ordinal);
        Assert.Empty(Entries(Schema.Accounts));
        Assert.Empty(SyncProgressStore.ReadAll(_store));
    }

    [Fact]
    public void Rejects_leaves_out_of_order()
    {
        VerifiedChunk chunk = Chunk(R1, Of(0x10, 0x1f), 1, 0x15, 0x11);

        Assert.Throws<ArgumentException>(() => ChunkStore.Commit(_store, chunk));
    }

    [Fact]
    public void Rejects_storage_of_an_account_outside_the_interval()
    {
        VerifiedChunk chunk = Chunk(R1, Of(0x10, 0x1f), 1, 0x11) with
        {
            StorageSlots = [new StorageSlotLeaf(Key(0x50), Key(1), new byte[] { 1 })],
        };

        Assert.Throws<ArgumentException>(() => ChunkStore.Commit(_store, chunk));
    }
}
