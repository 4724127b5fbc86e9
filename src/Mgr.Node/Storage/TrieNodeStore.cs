using Mgr.Trie.Primitives;
using Mgr.Trie.Storage;

namespace Mgr.Node.Storage;

/// <summary>
/// The trie's <see cref="INodeStore"/> on the node's store (<see cref="Schema.TrieNodes"/>, hash-keyed): reads come
/// from <see cref="IKeyValueReader"/> (the store or a snapshot), writes go into the batch given at construction, so
/// they become visible when the owner commits it (reads do not see uncommitted writes).
/// </summary>
/// <remarks>Each successful <see cref="TryGet"/> allocates the returned array (the interface hands out memory).
/// Not thread-safe when writing, as the batch is not.</remarks>
public sealed class TrieNodeStore(IKeyValueReader reader, IWriteBatch? batch = null) : INodeStore
{
    /// <summary>Largest node RLP read without a second lookup: a full branch node is at most 532 bytes.</summary>
    private const int MaxNodeBytes = 544;

    public bool TryGet(Hash256 hash, out ReadOnlyMemory<byte> rlp)
    {
        if (TryRead(reader, hash, out byte[]? bytes))
        {
            rlp = bytes;
            return true;
        }
        rlp = default;
        return false;
    }

    public void Put(Hash256 hash, ReadOnlySpan<byte> rlp)
    {
        if (batch is null) throw new InvalidOperationException("This node store is read-only: it was created without a write batch.");
        Write(batch, hash, rlp);
    }

    /// <summary>The RLP of node <paramref name="hash"/>, or false when absent.</summary>
    public static bool TryRead(IKeyValueReader reader, Hash256 hash, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? rlp)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Span<byte> key = stackalloc byte[Hash256.Length];
        hash.CopyTo(key);
        Span<byte> buffer = stackalloc byte[MaxNodeBytes];
        if (!reader.TryGet(Schema.TrieNodes, key, buffer, out int length))
        {
            rlp = null;
            return false;
        }
        rlp = length <= buffer.Length ? buffer[..length].ToArray() : reader.Get(Schema.TrieNodes, key);
        return rlp is not null;
    }

    /// <summary>Reads node <paramref name="hash"/> into <paramref name="destination"/> without allocating; see
    /// <see cref="IKeyValueReader.TryGet"/> for the length contract.</summary>
    public static bool TryRead(IKeyValueReader reader, Hash256 hash, Span<byte> destination, out int length)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Span<byte> key = stackalloc byte[Hash256.Length];
        hash.CopyTo(key);
        return reader.TryGet(Schema.TrieNodes, key, destination, out length);
    }

    public static void Write(IWriteBatch batch, Hash256 hash, ReadOnlySpan<byte> rlp)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Span<byte> key = stackalloc byte[Hash256.Length];
        hash.CopyTo(key);
        batch.Put(Schema.TrieNodes, key, rlp);
    }

    public static void Delete(IWriteBatch batch, Hash256 hash)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Span<byte> key = stackalloc byte[Hash256.Length];
        hash.CopyTo(key);
        batch.Delete(Schema.TrieNodes, key);
    }
}
