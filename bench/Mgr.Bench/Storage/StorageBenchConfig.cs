using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Mgr.Bench.Storage;

/// <summary>Macro-benchmark settings for the storage suites: each invocation is seconds of real I/O, so one launch,
/// one warm-up and three measured iterations (Monitoring strategy: no pilot, no overhead runs), with an Op/s column.
/// They run in process: no generated project is built, so a run never touches the checkout's obj folders.</summary>
public sealed class StorageBenchConfig : ManualConfig
{
    public StorageBenchConfig()
    {
        AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3)
            .WithToolchain(InProcessEmitToolchain.Instance));
        AddColumn(StatisticColumn.OperationsPerSecond);
    }
}
