namespace Mgr.Node.Chain;

/// <summary>The weak-subjectivity checkpoint H_W the node must sync to (given once at start).</summary>
public sealed record CheckpointReceived(WeakSubjectivityCheckpoint Checkpoint) : ConsensusEvent;
