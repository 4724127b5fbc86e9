using System.Buffers.Binary;

namespace Mgr.Node.Storage;

/// <summary>Reads, writes and checks the schema version stamped in <see cref="Schema.Meta"/>.</summary>
/// <remarks>Version 1 is the first schema, so there is no migration yet: a store stamped with any other version
/// (or holding data but no stamp) is refused with <see cref="SchemaVersionException"/>, never misread. A future
/// version adds its migration from the previous one here.</remarks>
public static class SchemaVersion
{
    /// <summary>The schema this build reads and writes.</summary>
    public const uint Current = 1;

    /// <summary>The stamped version, or null if the store has none. A malformed stamp is a <see cref="SchemaVersionException"/>.</summary>
    public static uint? Read(IKeyValueReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Span<byte> value = stackalloc byte[4];
        if (!reader.TryGet(Schema.Meta, Schema.SchemaVersionKey, value, out int length)) return null;
        if (length != 4)
            throw new SchemaVersionException($"The store's schema version stamp is {length} bytes long, not 4: unknown schema (this build supports version {Current}).", null, Current);
        return BinaryPrimitives.ReadUInt32BigEndian(value);
    }

    public static void Write(IWriteBatch batch, uint version)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, version);
        batch.Put(Schema.Meta, Schema.SchemaVersionKey, value);
    }

    /// <summary>Stamps an empty store with <see cref="Current"/>; accepts a store stamped with it; throws
    /// <see cref="SchemaVersionException"/> (naming both versions) for anything else.</summary>
    public static void EnsureCompatible(IKeyValueStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        uint? found = Read(store);
        if (found == Current) return;
        if (found is null)
        {
            if (!IsEmpty(store))
                throw new SchemaVersionException($"The store holds data but no schema version stamp: unknown schema (this build supports version {Current}). Refusing to open it.", null, Current);
            using IWriteBatch batch = store.BeginBatch();
            Write(batch, Current);
            batch.Commit();
            return;
        }
        string reason = found > Current
            ? "it was written by a newer version of mgr; upgrade mgr to open it"
            : "no migration from that version exists; resync into a new data directory";
        throw new SchemaVersionException($"The store has schema version {found}, but this build supports version {Current}: {reason}.", found, Current);
    }

    private static bool IsEmpty(IKeyValueReader reader)
    {
        foreach (StoreColumn column in Schema.Columns)
        {
            using IRangeCursor cursor = reader.Iterate(column, default, default);
            if (cursor.MoveNext()) return false;
        }
        return true;
    }
}
