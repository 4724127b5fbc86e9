using Mgr.Node.Storage;

namespace Mgr.Node.Stages;

/// <summary>Reads and writes <see cref="StageCheckpoint"/>s by <see cref="StageId"/> (over <see cref="StageCheckpointStore"/>).</summary>
public static class StageCheckpoints
{
    /// <summary>The saved checkpoint of <paramref name="stage"/>, or null if it never ran.</summary>
    public static StageCheckpoint? Read(IKeyValueReader reader, StageId stage) =>
        StageCheckpointStore.TryRead(reader, (ushort)stage, out ulong number, out byte[] cursor) ? new StageCheckpoint(number, cursor) : null;

    /// <summary>Saves <paramref name="checkpoint"/> in <paramref name="batch"/> (beside the stage's data).</summary>
    public static void Save(IWriteBatch batch, StageId stage, StageCheckpoint checkpoint) =>
        StageCheckpointStore.Write(batch, (ushort)stage, checkpoint.BlockNumber, checkpoint.Cursor.Span);
}
