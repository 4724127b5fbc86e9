using Mgr.Node.Storage;

namespace Mgr.Node.Stages;

/// <summary>One stage of the staged pipeline. A step does a bounded amount of work, writes only through the
/// batch it is given and never commits: the pipeline saves the checkpoint in the same batch and commits, so
/// after a crash the data and the progress agree.</summary>
public interface IStage
{
    /// <summary>Persisted: never renumber <see cref="StageId"/> values.</summary>
    StageId Id { get; }

    ValueTask<ExecOutput> ExecuteAsync(ExecInput input, IWriteBatch batch, CancellationToken cancellation);

    ValueTask<StageCheckpoint> UnwindAsync(UnwindInput input, IWriteBatch batch, CancellationToken cancellation);
}
