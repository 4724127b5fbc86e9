using Mgr.Node.Stages;
using Mgr.Node.Storage;

namespace Mgr.Node.Tests.Stages;

/// <summary>Runs the stage contract against the simplest stage, so the contract itself is known to hold.</summary>
public sealed class CountingStageTests : StageContractTests<CountingStage>
{
    protected override ulong Target => 95;

    protected override ulong UnwindPoint => 40;

    protected override CountingStage CreateStage(IKeyValueStore store) => new(StageId.State, []);

    protected override void AssertComplete(IKeyValueStore store, ulong block)
    {
        for (ulong n = 1; n <= block; n++) Assert.NotNull(store.Get(Schema.Meta, CountingStage.Key(StageId.State, n)));
        Assert.Null(store.Get(Schema.Meta, CountingStage.Key(StageId.State, block + 1)));
    }
}
