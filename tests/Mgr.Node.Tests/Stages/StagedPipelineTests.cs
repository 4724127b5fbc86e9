using Mgr.Node.Stages;
using Mgr.Node.Storage;

namespace Mgr.Node.Tests.Stages;

public sealed class StagedPipelineTests : IDisposable
{
    private readonly InMemoryKeyValueStore _store = new();
    private readonly List<string> _log = [];

    private StagedPipeline Pipeline(params CountingStage[] stages) => new(_store, stages);

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task Runs_each_stage_to_the_target_in_order()
    {
        StagedPipeline pipeline = Pipeline(new(StageId.Headers, _log, 50), new(StageId.State, _log, 50));

        await pipeline.RunAsync(60, CancellationToken.None);

        Assert.Equal(["exec Headers 0->50", "exec Headers 50->60", "exec State 0->50", "exec State 50->60"], _log);
        Assert.All(pipeline.Progress(), p => Assert.Equal(60UL, p.Checkpoint!.Value.BlockNumber));
    }

    [Fact]
    public async Task A_restart_resumes_at_the_interrupted_stage()
    {
        using var cancel = new CancellationTokenSource();
        var headers = new CountingStage(StageId.Headers, _log, 100);
        var state = new CountingStage(StageId.State, _log, 10);
        var interrupted = new StagedPipeline(_store, [headers, new CancellingStage(state, cancel, afterSteps: 3)]);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => interrupted.RunAsync(100, cancel.Token));
        _log.Clear();

        await Pipeline(new(StageId.Headers, _log, 100), new(StageId.State, _log, 10)).RunAsync(100, CancellationToken.None);

        Assert.Equal("exec State 30->40", _log[0]);
        Assert.DoesNotContain(_log, line => line.StartsWith("exec Headers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unwinds_in_reverse_order_when_a_stage_asks()
    {
        var headers = new CountingStage(StageId.Headers, _log, 100);
        var state = new CountingStage(StageId.State, _log, 100);
        var heal = new CountingStage(StageId.Heal, _log, 100) { UnwindAtBlock = 100, UnwindRequest = 70 };
        await Pipeline(headers, state).RunAsync(100, CancellationToken.None);
        _log.Clear();

        await Pipeline(headers, state, heal).RunAsync(100, CancellationToken.None);

        Assert.Equal(["exec Heal 0->100", "unwind Heal 100->70", "unwind State 100->70", "unwind Headers 100->70",
            "exec Headers 70->100", "exec State 70->100", "exec Heal 70->100"], _log);
    }

    [Fact]
    public async Task A_later_stage_ahead_of_an_earlier_one_is_unwound_first_last_stage_first()
    {
        await Pipeline(new(StageId.Headers, _log, 100), new(StageId.State, _log, 100), new(StageId.Heal, _log, 100)).RunAsync(100, CancellationToken.None);
        using (IWriteBatch batch = _store.BeginBatch())
        {
            StageCheckpoints.Save(batch, StageId.Headers, new StageCheckpoint(50, ReadOnlyMemory<byte>.Empty)); // as after a cut-short unwind
            batch.Commit();
        }
        _log.Clear();

        await Pipeline(new(StageId.Headers, _log, 100), new(StageId.State, _log, 100), new(StageId.Heal, _log, 100)).RunAsync(100, CancellationToken.None);

        Assert.Equal(["unwind Heal 100->50", "unwind State 100->50", "exec Headers 50->100", "exec State 50->100", "exec Heal 50->100"], _log);
    }

    [Fact]
    public async Task Skips_stages_already_at_the_target()
    {
        await Pipeline(new CountingStage(StageId.Headers, _log)).RunAsync(20, CancellationToken.None);
        _log.Clear();

        await Pipeline(new CountingStage(StageId.Headers, _log)).RunAsync(20, CancellationToken.None);

        Assert.Empty(_log);
    }

    private sealed class CancellingStage(IStage inner, CancellationTokenSource cancel, int afterSteps) : IStage
    {
        private int _steps;

        public StageId Id => inner.Id;

        public ValueTask<ExecOutput> ExecuteAsync(ExecInput input, IWriteBatch batch, CancellationToken cancellation)
        {
            if (++_steps > afterSteps)
            {
                cancel.Cancel();
                cancellation.ThrowIfCancellationRequested();
            }
            return inner.ExecuteAsync(input, batch, cancellation);
        }

        public ValueTask<StageCheckpoint> UnwindAsync(UnwindInput input, IWriteBatch batch, CancellationToken cancellation) =>
            inner.UnwindAsync(input, batch, cancellation);
    }
}
