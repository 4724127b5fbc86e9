namespace Mgr.Node.Stages;

/// <summary>What a stage step is asked to do: progress toward <see cref="Target"/> from <see cref="Checkpoint"/>
/// (null when the stage never ran).</summary>
public readonly record struct ExecInput(ulong Target, StageCheckpoint? Checkpoint);
