namespace Mgr.Node.Stages;

/// <summary>An unwind request: drop the stage's data above <see cref="UnwindTo"/>, starting from <see cref="Checkpoint"/>.</summary>
public readonly record struct UnwindInput(StageCheckpoint Checkpoint, ulong UnwindTo);
