using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Mgr.Bench;

/// <summary>Settings for macro-benchmarks whose single invocation takes seconds to minutes: one launch, the given
/// warm-ups and measured iterations of one invocation each (Monitoring strategy: no pilot, no overhead runs), run
/// in the already-built process so that no generated project is built (that build times out on a busy machine).</summary>
/// <remarks>A suite using it already has its job: run it with <c>--filter</c> alone. Adding <c>--job</c> or
/// <c>--inProcess</c> on the command line adds a second job with BenchmarkDotNet's defaults (many iterations).</remarks>
public abstract class InProcessMacroConfig : ManualConfig
{
    // The in-process toolchain gives up on a benchmark after 5 minutes by default; the ethereumjs reference alone
    // needs about 9 minutes for a million puts on a loaded machine.
    private static readonly TimeSpan Timeout = TimeSpan.FromHours(2);

    protected InProcessMacroConfig(int warmupCount, int iterationCount) =>
        AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(warmupCount)
            .WithIterationCount(iterationCount).WithInvocationCount(1).WithUnrollFactor(1)
            .WithToolchain(new InProcessEmitToolchain(Timeout, logOutput: true)));
}
