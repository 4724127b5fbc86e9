using System.Buffers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Storage;

/// <summary>Backward state diffs of canonical blocks (<see cref="Schema.BackwardDiffs"/>: number → block hash ‖ diff
/// RLP), the diff that turns block n's state back into block n − 1's. Written with each block's state, read by
/// rollback. Keyed by number alone: only the block whose state was applied has one.</summary>
public static class BackwardDiffStore
{
    public static void Write(IWriteBatch batch, ulong number, Hash256 hash, ReadOnlySpan<byte> encodedDiff)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Span<byte> key = stackalloc byte[Schema.NumberLength];
        Schema.WriteNumber(number, key);
        byte[] value = ArrayPool<byte>.Shared.Rent(Hash256.Length + encodedDiff.Length);
        try
        {
            hash.CopyTo(value);
            encodedDiff.CopyTo(value.AsSpan(Hash256.Length));
            batch.Put(Schema.BackwardDiffs, key, value.AsSpan(0, Hash256.Length + encodedDiff.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(value);
        }
    }

    /// <summary>The backward diff of block <paramref name="number"/> and the hash of the block it belongs to; false if
    /// none is kept.</summary>
    /// <exception cref="StorageException">When the stored value is too short to hold a hash.</exception>
    public static bool TryRead(IKeyValueReader reader, ulong number, out Hash256 hash, out byte[] encodedDiff)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Span<byte> key = stackalloc byte[Schema.NumberLength];
        Schema.WriteNumber(number, key);
        hash = default;
        encodedDiff = [];
        byte[]? value = reader.Get(Schema.BackwardDiffs, key);
        if (value is null) return false;
        if (value.Length < Hash256.Length) throw new StorageException($"Corrupt backward diff of block {number}: {value.Length} bytes.");
        hash = new Hash256(value.AsSpan(0, Hash256.Length));
        encodedDiff = value[Hash256.Length..];
        return true;
    }

    /// <summary>True when a backward diff of block <paramref name="number"/> is kept (reads no value bytes).</summary>
    public static bool Contains(IKeyValueReader reader, ulong number)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Span<byte> key = stackalloc byte[Schema.NumberLength];
        Schema.WriteNumber(number, key);
        return reader.TryGet(Schema.BackwardDiffs, key, Span<byte>.Empty, out _);
    }

    public static void Delete(IWriteBatch batch, ulong number)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Span<byte> key = stackalloc byte[Schema.NumberLength];
        Schema.WriteNumber(number, key);
        batch.Delete(Schema.BackwardDiffs, key);
    }

    /// <summary>Deletes the backward diffs of every block up to and including <paramref name="number"/>.</summary>
    public static void DeleteThrough(IWriteBatch batch, ulong number)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Span<byte> end = stackalloc byte[Schema.NumberLength + 1];
        Schema.WriteNumber(number, end);
        end[Schema.NumberLength] = 0;
        batch.DeleteRange(Schema.BackwardDiffs, ReadOnlySpan<byte>.Empty, end);
    }

    /// <summary>The lowest block number with a kept backward diff, or null when none is kept.</summary>
    public static ulong? LowestNumber(IKeyValueReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        using IRangeCursor cursor = reader.Iterate(Schema.BackwardDiffs, [], []);
        return cursor.MoveNext() ? Schema.ReadNumber(cursor.Key) : null;
    }
}
