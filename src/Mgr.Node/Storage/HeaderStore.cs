using System.Buffers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Storage;

/// <summary>Block headers by number and by hash, and the canonical chain (<see cref="Schema.Headers"/>,
/// <see cref="Schema.HeaderNumbers"/>, <see cref="Schema.CanonicalHashes"/>). Stores header RLP as given: the
/// caller has verified it and computed its hash.</summary>
public static class HeaderStore
{
    /// <summary>Stores a header under (number, hash) and indexes its hash; does not make it canonical.</summary>
    public static void Write(IWriteBatch batch, ulong number, Hash256 hash, ReadOnlySpan<byte> headerRlp)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Span<byte> key = stackalloc byte[Schema.HeaderKeyLength];
        Schema.WriteHeaderKey(number, hash, key);
        batch.Put(Schema.Headers, key, headerRlp);
        batch.Put(Schema.HeaderNumbers, key[Schema.NumberLength..], key[..Schema.NumberLength]);
    }

    /// <summary>Removes a header and its hash index (not its canonical mapping: see <see cref="DeleteCanonical"/>).</summary>
    public static void Delete(IWriteBatch batch, ulong number, Hash256 hash)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Span<byte> key = stackalloc byte[Schema.HeaderKeyLength];
        Schema.WriteHeaderKey(number, hash, key);
        batch.Delete(Schema.Headers, key);
        batch.Delete(Schema.HeaderNumbers, key[Schema.NumberLength..]);
    }

    /// <summary>Appends the RLP of header (number, hash) to <paramref name="rlp"/>; false if not stored.</summary>
    public static bool TryRead(IKeyValueReader reader, ulong number, Hash256 hash, IBufferWriter<byte> rlp)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Span<byte> key = stackalloc byte[Schema.HeaderKeyLength];
        Schema.WriteHeaderKey(number, hash, key);
        return reader.TryGet(Schema.Headers, key, rlp);
    }

    /// <summary>Appends the RLP of the header with <paramref name="hash"/>; false if not stored.</summary>
    public static bool TryReadByHash(IKeyValueReader reader, Hash256 hash, IBufferWriter<byte> rlp)
        => TryReadNumber(reader, hash, out ulong number) && TryRead(reader, number, hash, rlp);

    /// <summary>The number of the stored header with <paramref name="hash"/>.</summary>
    public static bool TryReadNumber(IKeyValueReader reader, Hash256 hash, out ulong number)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Span<byte> key = stackalloc byte[Hash256.Length];
        Span<byte> value = stackalloc byte[Schema.NumberLength];
        hash.CopyTo(key);
        number = 0;
        if (!reader.TryGet(Schema.HeaderNumbers, key, value, out int length)) return false;
        if (length != Schema.NumberLength) throw new StorageException($"Corrupt header-number entry for {hash}: {length} bytes, expected {Schema.NumberLength}.");
        number = Schema.ReadNumber(value);
        return true;
    }

    /// <summary>Makes <paramref name="hash"/> the canonical header at <paramref name="number"/>.</summary>
    public static void WriteCanonical(IWriteBatch batch, ulong number, Hash256 hash)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Span<byte> key = stackalloc byte[Schema.NumberLength];
        Span<byte> value = stackalloc byte[Hash256.Length];
        Schema.WriteNumber(number, key);
        hash.CopyTo(value);
        batch.Put(Schema.CanonicalHashes, key, value);
    }

    public static void DeleteCanonical(IWriteBatch batch, ulong number)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Span<byte> key = stackalloc byte[Schema.NumberLength];
        Schema.WriteNumber(number, key);
        batch.Delete(Schema.CanonicalHashes, key);
    }

    /// <summary>The canonical hash at <paramref name="number"/>.</summary>
    public static bool TryReadCanonical(IKeyValueReader reader, ulong number, out Hash256 hash)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Span<byte> key = stackalloc byte[Schema.NumberLength];
        Span<byte> value = stackalloc byte[Hash256.Length];
        Schema.WriteNumber(number, key);
        hash = default;
        if (!reader.TryGet(Schema.CanonicalHashes, key, value, out int length)) return false;
        if (length != Hash256.Length) throw new StorageException($"Corrupt canonical-hash entry at {number}: {length} bytes, expected {Hash256.Length}.");
        hash = new Hash256(value);
        return true;
    }
}
