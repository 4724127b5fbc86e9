using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Storage;

/// <summary>Which slot ranges of an account's external storage the flat state holds, and at which storage root
/// (<see cref="Schema.StorageProgress"/>), so a restarted node resumes a large storage download instead of starting
/// it over. Written in the batch that writes the slots; <see cref="ChunkStore.DeleteFlatState"/> removes an account's
/// records with its slots.</summary>
/// <remarks>Single writer (the swarm engine's loop). A record whose range a later record with the same start replaces
/// is simply forgotten: the node pulls that part again.</remarks>
public static class StorageProgressStore
{
    private const int ValueLength = 2 * Hash256.Length;

    /// <summary>Records in <paramref name="batch"/> that <paramref name="range"/> of <paramref name="account"/>'s slots is
    /// held at <paramref name="storageRoot"/>.</summary>
    public static void MarkHeld(IWriteBatch batch, Hash256 account, Hash256 storageRoot, KeyRange range)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Span<byte> key = stackalloc byte[Schema.StorageSlotKeyLength];
        Span<byte> value = stackalloc byte[ValueLength];
        Schema.WriteStorageSlotKey(account, range.Start, key);
        storageRoot.CopyTo(value[..Hash256.Length]);
        range.End.CopyTo(value[Hash256.Length..]);
        batch.Put(Schema.StorageProgress, key, value);
    }

    /// <summary>The ranges of <paramref name="account"/> held at <paramref name="storageRoot"/>.</summary>
    /// <exception cref="StorageException">On a corrupt record.</exception>
    public static KeyRangeSet Read(IKeyValueReader reader, Hash256 account, Hash256 storageRoot)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Span<byte> lower = stackalloc byte[Schema.StorageSlotKeyLength];
        Span<byte> upper = stackalloc byte[Schema.StorageSlotKeyLength + 1];
        Schema.WriteStorageSlotKey(account, Hash256.Zero, lower);
        Schema.WriteStorageSlotKey(account, Hash256.MaxValue, upper);
        upper[^1] = 0;
        var ranges = new List<KeyRange>();
        using IRangeCursor cursor = reader.Iterate(Schema.StorageProgress, lower, upper);
        while (cursor.MoveNext())
        {
            ReadOnlySpan<byte> value = cursor.Value;
            if (cursor.Key.Length != Schema.StorageSlotKeyLength || value.Length != ValueLength)
                throw new StorageException($"Corrupt storage-progress entry: key of {cursor.Key.Length} bytes, value of {value.Length} bytes.");
            if (new Hash256(value[..Hash256.Length]) != storageRoot) continue;
            var start = new Hash256(cursor.Key[Hash256.Length..]);
            var end = new Hash256(value[Hash256.Length..]);
            if (start > end) throw new StorageException($"Corrupt storage-progress entry: range start {start} is after its end {end}.");
            ranges.Add(new KeyRange(start, end));
        }
        return KeyRangeSet.From(ranges);
    }
}
