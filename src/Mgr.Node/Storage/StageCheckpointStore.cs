using System.Buffers.Binary;

namespace Mgr.Node.Storage;

/// <summary>Per-stage checkpoints of the staged pipeline (<see cref="Schema.StageCheckpoints"/>): stage id →
/// block number and stage-defined cursor bytes. Write it in the same batch as the stage's data.</summary>
public static class StageCheckpointStore
{
    /// <summary>Largest cursor accepted, so a checkpoint read is always bounded.</summary>
    public const int MaxCursorBytes = 4096;

    public static void Write(IWriteBatch batch, ushort stageId, ulong blockNumber, ReadOnlySpan<byte> cursor)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (cursor.Length > MaxCursorBytes) throw new ArgumentException($"A stage cursor is limited to {MaxCursorBytes} bytes; got {cursor.Length}.", nameof(cursor));
        Span<byte> key = stackalloc byte[Schema.StageIdLength];
        BinaryPrimitives.WriteUInt16BigEndian(key, stageId);
        Span<byte> value = stackalloc byte[Schema.NumberLength + cursor.Length];
        Schema.WriteNumber(blockNumber, value);
        cursor.CopyTo(value[Schema.NumberLength..]);
        batch.Put(Schema.StageCheckpoints, key, value);
    }

    public static void Delete(IWriteBatch batch, ushort stageId)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Span<byte> key = stackalloc byte[Schema.StageIdLength];
        BinaryPrimitives.WriteUInt16BigEndian(key, stageId);
        batch.Delete(Schema.StageCheckpoints, key);
    }

    /// <summary>The checkpoint of <paramref name="stageId"/>; false if the stage never saved one.</summary>
    public static bool TryRead(IKeyValueReader reader, ushort stageId, out ulong blockNumber, out byte[] cursor)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Span<byte> key = stackalloc byte[Schema.StageIdLength];
        BinaryPrimitives.WriteUInt16BigEndian(key, stageId);
        Span<byte> value = stackalloc byte[Schema.NumberLength + MaxCursorBytes];
        blockNumber = 0;
        cursor = [];
        if (!reader.TryGet(Schema.StageCheckpoints, key, value, out int length)) return false;
        if (length < Schema.NumberLength || length > value.Length)
            throw new StorageException($"Corrupt checkpoint of stage {stageId}: {length} bytes.");
        blockNumber = Schema.ReadNumber(value);
        cursor = value[Schema.NumberLength..length].ToArray();
        return true;
    }
}
