using Mgr.Node.Stages;
using Mgr.Node.Storage;

namespace Mgr.Node.Tests.Stages;

/// <summary>What every stage must do; each stage's tests inherit this and say how to build the stage and
/// what its finished data looks like.</summary>
public abstract class StageContractTests<TStage> where TStage : IStage
{
    /// <summary>A fresh stage over <paramref name="store"/>, as a restarted node would build it.</summary>
    protected abstract TStage CreateStage(IKeyValueStore store);

    /// <summary>The block the tests run the stage to.</summary>
    protected abstract ulong Target { get; }

    /// <summary>A block between the start and <see cref="Target"/> to unwind to.</summary>
    protected abstract ulong UnwindPoint { get; }

    /// <summary>Asserts the stage's data in <paramref name="store"/> is complete and correct up to <paramref name="block"/>.</summary>
    protected abstract void AssertComplete(IKeyValueStore store, ulong block);

    protected virtual IKeyValueStore CreateStore() => new InMemoryKeyValueStore();

    private async Task RunAsync(IKeyValueStore store) => await new StagedPipeline(store, [CreateStage(store)]).RunAsync(Target, CancellationToken.None);

    private async Task<ExecOutput> StepAsync(IKeyValueStore store, TStage stage, bool commit)
    {
        using IWriteBatch batch = store.BeginBatch();
        StageCheckpoint? checkpoint = StageCheckpoints.Read(store, stage.Id);
        ExecOutput output = await stage.ExecuteAsync(new ExecInput(Target, checkpoint), batch, CancellationToken.None);
        StageCheckpoints.Save(batch, stage.Id, output.Checkpoint);
        if (commit) batch.Commit();
        return output;
    }

    [Fact]
    public async Task Finishes_on_an_empty_store()
    {
        using IKeyValueStore store = CreateStore();
        TStage stage = CreateStage(store);

        await RunAsync(store);

        Assert.Equal(Target, StageCheckpoints.Read(store, stage.Id)!.Value.BlockNumber);
        AssertComplete(store, Target);
    }

    [Fact]
    public async Task Execute_reaches_the_target_from_a_saved_checkpoint()
    {
        using IKeyValueStore store = CreateStore();
        ExecOutput first = await StepAsync(store, CreateStage(store), commit: true);

        await RunAsync(store);

        Assert.False(first.Done);
        Assert.Equal(new StageCheckpoint(Target, ReadOnlyMemory<byte>.Empty), StageCheckpoints.Read(store, CreateStage(store).Id));
        AssertComplete(store, Target);
    }

    [Fact]
    public async Task Unwind_then_execute_ends_where_it_began()
    {
        using IKeyValueStore store = CreateStore();
        await RunAsync(store);
        List<string> before = StoreDump.Of(store);
        var pipeline = new StagedPipeline(store, [CreateStage(store)]);

        await pipeline.UnwindAsync(UnwindPoint, CancellationToken.None);
        StageCheckpoint unwound = StageCheckpoints.Read(store, CreateStage(store).Id)!.Value;
        await RunAsync(store);

        Assert.Equal(UnwindPoint, unwound.BlockNumber);
        Assert.Equal(before, StoreDump.Of(store));
    }

    [Fact]
    public async Task A_crash_between_steps_resumes()
    {
        using IKeyValueStore clean = CreateStore();
        await RunAsync(clean);
        using IKeyValueStore store = CreateStore();
        TStage beforeCrash = CreateStage(store);
        await StepAsync(store, beforeCrash, commit: true);
        await StepAsync(store, beforeCrash, commit: false); // the process dies before this commit

        await RunAsync(store);

        AssertComplete(store, Target);
        Assert.Equal(StoreDump.Of(clean), StoreDump.Of(store));
    }
}
