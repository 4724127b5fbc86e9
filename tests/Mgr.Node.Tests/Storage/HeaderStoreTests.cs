using System.Buffers;
using Mgr.Node.Storage;
using Mgr.Trie.Primitives;
using static Mgr.Node.Tests.Storage.KeyIntervals;

namespace Mgr.Node.Tests.Storage;

public sealed class HeaderStoreTests : IDisposable
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
    public void Reads_a_header_by_number_and_hash_and_by_hash_alone()
    {
        Hash256 hash = Key(0xaa, 1);
        byte[] rlp = [.. Enumerable.Range(0, 1500).Select(i => (byte)i)]; // larger than the first read buffer

        Write(batch => HeaderStore.Write(batch, 42, hash, rlp));

        var byNumber = new ArrayBufferWriter<byte>();
        var byHash = new ArrayBufferWriter<byte>();
        Assert.True(HeaderStore.TryRead(_store, 42, hash, byNumber));
        Assert.True(HeaderStore.TryReadByHash(_store, hash, byHash));
        Assert.Equal(rlp, byNumber.WrittenSpan.ToArray());
        Assert.Equal(rlp, byHash.WrittenSpan.ToArray());
        Assert.True(HeaderStore.TryReadNumber(_store, hash, out ulong number));
        Assert.Equal(42UL, number);
    }

    [Fact]
    public void Keeps_two_headers_at_the_same_height_apart()
    {
        Hash256 a = Key(0xaa), b = Key(0xbb);

        Write(batch =>
        {
            HeaderStore.Write(batch, 7, a, [1]);
            HeaderStore.Write(batch, 7, b, [2]);
        });

        var read = new ArrayBufferWriter<byte>();
        Assert.True(HeaderStore.TryRead(_store, 7, b, read));
        Assert.Equal([2], read.WrittenSpan.ToArray());
    }

    [Fact]
    public void Deletes_a_header_and_its_hash_index()
    {
        Hash256 hash = Key(0xaa);
        Write(batch => HeaderStore.Write(batch, 1, hash, [1]));

        Write(batch => HeaderStore.Delete(batch, 1, hash));

        Assert.False(HeaderStore.TryReadByHash(_store, hash, new ArrayBufferWriter<byte>()));
        Assert.False(HeaderStore.TryReadNumber(_store, hash, out _));
    }

    [Fact]
    public void Maps_canonical_numbers_to_hashes()
    {
        Hash256 hash = Key(0xcc);

        Write(batch => HeaderStore.WriteCanonical(batch, 9, hash));

        Assert.True(HeaderStore.TryReadCanonical(_store, 9, out Hash256 read));
        Assert.Equal(hash, read);
        Assert.False(HeaderStore.TryReadCanonical(_store, 10, out _));
        Write(batch => HeaderStore.DeleteCanonical(batch, 9));
        Assert.False(HeaderStore.TryReadCanonical(_store, 9, out _));
    }

    [Fact]
    public void Orders_header_keys_by_number()
    {
        Write(batch =>
        {
            HeaderStore.Write(batch, 256, Key(0x01), [1]);
            HeaderStore.Write(batch, 1, Key(0xff), [2]);
        });

        using IRangeCursor cursor = _store.Iterate(Schema.Headers, default, default);
        Assert.True(cursor.MoveNext());
        Assert.Equal(1UL, Schema.ReadNumber(cursor.Key));
    }
}
