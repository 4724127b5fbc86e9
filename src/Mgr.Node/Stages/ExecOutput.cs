namespace Mgr.Node.Stages;

/// <summary>What a stage step did: its new <see cref="Checkpoint"/>, whether it reached the target
/// (<see cref="Done"/>), and, when it found stored data that contradicts newer trusted data, the block every
/// stage must unwind to before it continues (<see cref="UnwindTo"/>).</summary>
public readonly record struct ExecOutput(StageCheckpoint Checkpoint, bool Done, ulong? UnwindTo = null);
