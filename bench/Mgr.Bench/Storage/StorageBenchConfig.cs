using BenchmarkDotNet.Columns;

namespace Mgr.Bench.Storage;

/// <summary>Macro-benchmark settings for the storage suites: each invocation is seconds of real I/O, so one launch,
/// one warm-up and three measured iterations in process (see <see cref="InProcessMacroConfig"/>), with an Op/s
/// column. Run them with <c>--filter</c> alone.</summary>
public sealed class StorageBenchConfig : InProcessMacroConfig
{
    public StorageBenchConfig() : base(warmupCount: 1, iterationCount: 3) => AddColumn(StatisticColumn.OperationsPerSecond);
}
