using Mgr.Node.Storage;

namespace Mgr.Node.Stages;

/// <summary>Runs stages in order toward a target block, one committed step at a time, and unwinds them in
/// reverse order.</summary>
/// <remarks>
/// <para>Each step: open a batch, run the stage, save its checkpoint in the same batch, commit. A restart
/// therefore resumes at the interrupted stage from its last committed step; stages already complete up to the
/// target are skipped.</para>
/// <para>Checkpoints must not increase along the order (a later stage cannot be ahead of an earlier one). On
/// start, any later stage found ahead — because a crash interrupted an unwind — is unwound, last stage first,
/// to the earlier stage's progress. A stage that reports <see cref="ExecOutput.UnwindTo"/> makes every stage
/// unwind in reverse order before the run continues.</para>
/// <para>Single-threaded: one run at a time per store.</para>
/// </remarks>
public sealed class StagedPipeline(IKeyValueStore store, IReadOnlyList<IStage> stages)
{
    /// <summary>Steps in one run without reaching the target after which the run gives up: a stage that never
    /// finishes is a bug, not a reason to spin forever.</summary>
    public const int MaxStepsPerStage = 1_000_000;

    /// <summary>Every stage's checkpoint, in pipeline order.</summary>
    public IReadOnlyList<(StageId Stage, StageCheckpoint? Checkpoint)> Progress() =>
        [.. stages.Select(s => (s.Id, StageCheckpoints.Read(store, s.Id)))];

    /// <summary>Runs every stage up to <paramref name="target"/>; returns when all are done.</summary>
    public Task RunAsync(ulong target, CancellationToken cancellation) => RunAsync(() => target, cancellation);

    /// <summary>Runs every stage up to the target <paramref name="target"/> reads; returns when all are done. The
    /// target is read before every step: when it has risen, the run starts over from the first stage toward the new
    /// target (a later stage never runs ahead of an earlier one, and a stage waiting on something that a newer target
    /// supersedes — the state of an old epoch — is not waited for).</summary>
    public async Task RunAsync(Func<ulong> target, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(target);
        await RepairOrderAsync(cancellation).ConfigureAwait(false);
        ulong goal = target();
        for (int index = 0; index < stages.Count; index++)
        {
            IStage stage = stages[index];
            for (int step = 0; ; step++)
            {
                cancellation.ThrowIfCancellationRequested();
                if (target() is var raised && raised > goal)
                {
                    goal = raised;
                    index = -1; // start over from the first stage
                    break;
                }
                if (step == MaxStepsPerStage) throw new InvalidOperationException($"stage {stage.Id} did not reach block {goal} in {MaxStepsPerStage} steps");
                StageCheckpoint? checkpoint = StageCheckpoints.Read(store, stage.Id);
                if (checkpoint is { } reached && reached.BlockNumber >= goal && reached.Cursor.IsEmpty) break;
                ExecOutput output;
                using (IWriteBatch batch = store.BeginBatch())
                {
                    output = await stage.ExecuteAsync(new ExecInput(goal, checkpoint), batch, cancellation).ConfigureAwait(false);
                    StageCheckpoints.Save(batch, stage.Id, output.Checkpoint);
                    batch.Commit();
                }
                if (output.UnwindTo is ulong unwindTo)
                {
                    await UnwindAsync(unwindTo, cancellation).ConfigureAwait(false);
                    index = -1; // start over from the first stage
                    break;
                }
                if (output.Done) break;
            }
        }
    }

    /// <summary>Unwinds every stage above <paramref name="unwindTo"/>, last stage first, each in its own batch.</summary>
    public async Task UnwindAsync(ulong unwindTo, CancellationToken cancellation)
    {
        for (int index = stages.Count - 1; index >= 0; index--)
            await UnwindStageAsync(stages[index], unwindTo, cancellation).ConfigureAwait(false);
    }

    private async Task UnwindStageAsync(IStage stage, ulong unwindTo, CancellationToken cancellation)
    {
        StageCheckpoint? checkpoint = StageCheckpoints.Read(store, stage.Id);
        if (checkpoint is not { } current || current.BlockNumber <= unwindTo && current.Cursor.IsEmpty) return;
        using IWriteBatch batch = store.BeginBatch();
        StageCheckpoint unwound = await stage.UnwindAsync(new UnwindInput(current, unwindTo), batch, cancellation).ConfigureAwait(false);
        StageCheckpoints.Save(batch, stage.Id, unwound);
        batch.Commit();
    }

    // A later stage ahead of an earlier one means an unwind was cut short: finish it, last stage first.
    private async Task RepairOrderAsync(CancellationToken cancellation)
    {
        ulong limit = ulong.MaxValue;
        var ahead = new List<(IStage Stage, ulong UnwindTo)>();
        foreach (IStage stage in stages)
        {
            ulong reached = StageCheckpoints.Read(store, stage.Id)?.BlockNumber ?? 0;
            if (reached > limit) ahead.Add((stage, limit));
            limit = Math.Min(limit, reached);
        }
        for (int i = ahead.Count - 1; i >= 0; i--)
            await UnwindStageAsync(ahead[i].Stage, ahead[i].UnwindTo, cancellation).ConfigureAwait(false);
    }
}
