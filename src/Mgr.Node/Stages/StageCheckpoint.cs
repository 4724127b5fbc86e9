namespace Mgr.Node.Stages;

/// <summary>How far a stage got: complete up to <see cref="BlockNumber"/>, plus stage-defined
/// <see cref="Cursor"/> bytes for work in progress (at most <see cref="Storage.StageCheckpointStore.MaxCursorBytes"/>).</summary>
public readonly record struct StageCheckpoint(ulong BlockNumber, ReadOnlyMemory<byte> Cursor)
{
    public bool Equals(StageCheckpoint other) => BlockNumber == other.BlockNumber && Cursor.Span.SequenceEqual(other.Cursor.Span);

    public override int GetHashCode() => HashCode.Combine(BlockNumber, Cursor.Length);
}
