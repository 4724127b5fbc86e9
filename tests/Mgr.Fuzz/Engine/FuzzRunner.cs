using System.Diagnostics;

namespace Mgr.Fuzz.Engine;

/// <summary>Fuzzes one <see cref="FuzzTarget"/>: runs its seeds, then mutants of a live corpus, and reports crashes
/// (undocumented exceptions, broken oracles), hangs (inputs past the time bound) and allocations past the budget.</summary>
/// <remarks>
/// Coverage guidance without instrumentation: every execution yields a verdict signature — the accepted verdict, or the
/// typed failure's reason plus the method that threw it — and a mutant that reaches a signature not seen before joins
/// the live corpus, so later mutations build on inputs that got further. Inputs run on a worker thread; the calling
/// thread is the watchdog, and a hang ends the run (the stuck worker is a background thread and is left behind).
/// Allocation is checked after the seeds have warmed the code up, and an input over budget is re-run once before it
/// counts, so one-off JIT or type-loading costs are not reported.
/// </remarks>
internal sealed class FuzzRunner(FuzzTarget target, FuzzOptions options)
{
    private const int MaxFindings = 32;

    private readonly List<FuzzFinding> _findings = [];
    private readonly HashSet<string> _findingKeys = [];
    private readonly HashSet<string> _verdicts = [];
    private byte[] _current = [];
    private long _startedTimestamp;
    private long _executions;
    private long _maxAllocated;
    private double _maxBudgetFraction;
    private volatile bool _stop;
    private Exception? _runnerFault;

    public FuzzReport Run()
    {
        var clock = Stopwatch.StartNew();
        var worker = new Thread(Loop) { IsBackground = true, Name = $"fuzz {target.Name}" };
        worker.Start();
        while (!worker.Join(25))
        {
            long started = Volatile.Read(ref _startedTimestamp);
            if (started != 0 && Stopwatch.GetElapsedTime(started) > target.TimeBound)
            {
                _stop = true;
                byte[] input = Volatile.Read(ref _current);
                lock (_findings) Add(FindingKind.Hang, input, "hang", $"no result after {target.TimeBound.TotalSeconds:F0} s");
                break;
            }
        }
        if (_runnerFault is not null) throw new InvalidOperationException($"The fuzzer itself failed on {target.Name}.", _runnerFault);
        lock (_findings)
        {
            return new FuzzReport(target.Name, Interlocked.Read(ref _executions), _verdicts.Count, _corpusCount, _maxAllocated, _maxBudgetFraction, clock.Elapsed, [.. _findings], _knownHits);
        }
    }

    private int _corpusCount;
    private int _knownHits;

    private void Loop()
    {
        try
        {
            var random = new Random(options.Seed);
            var seeds = target.Seeds().ToList();
            if (options.CorpusDirectory is not null) seeds.AddRange(CorpusFiles.Load(options.CorpusDirectory, target.Name));
            seeds = [.. seeds.DistinctBy(Convert.ToHexString)];
            if (seeds.Count == 0) seeds.Add([]);
            var corpus = new List<byte[]>(seeds);
            var mutator = new Mutator(random, [.. target.Tokens()], target.Format, target.StructureOffset, target.MaxInputBytes);
            var clock = Stopwatch.StartNew();

            foreach (byte[] seed in seeds)
            {
                if (_stop) return;
                RunOne(seed, checkAllocation: false);
            }
            for (long i = 0; i < options.Iterations && clock.Elapsed < options.Duration && !_stop; i++)
            {
                // Favour recent discoveries: half the parents come from the newest quarter of the corpus.
                int index = random.Next(2) == 0 && corpus.Count > 4 ? corpus.Count - 1 - random.Next(corpus.Count / 4) : random.Next(corpus.Count);
                byte[] mutant = mutator.Mutate(corpus[index], () => corpus[random.Next(corpus.Count)]);
                if (RunOne(mutant, checkAllocation: true) && corpus.Count < options.MaxLiveCorpus)
                {
                    corpus.Add(mutant);
                    Volatile.Write(ref _corpusCount, corpus.Count);
                    if (options.OutputDirectory is not null)
                    {
                        CorpusFiles.Write(Path.Combine(options.OutputDirectory, "discovered", target.Name), $"{options.Seed}-{i}", mutant, CorpusFiles.RawExtensionFor(target.Format));
                    }
                }
            }
            Volatile.Write(ref _corpusCount, corpus.Count);
        }
        catch (Exception error)
        {
            _runnerFault = error;
        }
    }

    /// <summary>Runs one input; true when it reached a verdict not seen before.</summary>
    private bool RunOne(byte[] input, bool checkAllocation)
    {
        (string? verdict, long allocated) = Execute(input);
        if (verdict is null) return false;
        long budget = target.Budget.For(input.Length);
        if (checkAllocation && allocated > budget)
        {
            (_, long again) = Execute(input);
            if (again > budget)
            {
                lock (_findings) Add(FindingKind.Allocation, input, $"allocation:{verdict}", $"allocated {again} B for a {input.Length}-byte input; budget {budget} B ({target.Budget}); verdict {verdict}");
            }
            allocated = Math.Min(allocated, again);
        }
        lock (_findings)
        {
            if (checkAllocation)
            {
                _maxAllocated = Math.Max(_maxAllocated, allocated);
                _maxBudgetFraction = Math.Max(_maxBudgetFraction, allocated / (double)budget);
            }
            return _verdicts.Add(verdict);
        }
    }

    private (string? Verdict, long Allocated) Execute(byte[] input)
    {
        Volatile.Write(ref _current, input);
        bool thread = target.AllocationScope == AllocationScope.Thread;
        long before = thread ? GC.GetAllocatedBytesForCurrentThread() : GC.GetTotalAllocatedBytes(false);
        Volatile.Write(ref _startedTimestamp, Stopwatch.GetTimestamp());
        string? verdict = null;
        Exception? failure = null;
        try
        {
            verdict = "ok:" + target.Execute(input);
        }
        catch (Exception error)
        {
            failure = error;
        }
        Volatile.Write(ref _startedTimestamp, 0);
        long allocated = (thread ? GC.GetAllocatedBytesForCurrentThread() : GC.GetTotalAllocatedBytes(false)) - before;
        Interlocked.Increment(ref _executions);
        if (failure is null) return (verdict, allocated);

        if (failure is FuzzTimeoutException)
        {
            lock (_findings) Add(FindingKind.Hang, input, $"timeout@{Where(failure, ownCodeOnly: true)}", failure.Message);
            return (null, allocated);
        }
        string? reason = failure is FuzzOracleException ? null : target.Classify(failure);
        if (reason is null)
        {
            string key = $"{failure.GetType().Name}@{Where(failure, ownCodeOnly: false)}";
            lock (_findings) Add(FindingKind.Crash, input, key, Describe(failure));
            return (null, allocated);
        }
        return ($"{reason}@{Where(failure, ownCodeOnly: true)}", allocated);
    }

    private void Add(FindingKind kind, byte[] input, string key, string detail)
    {
        if (options.KnownFindingKeys.Contains($"{target.Name}:{key}"))
        {
            _knownHits++;
            return;
        }
        if (_findings.Count >= MaxFindings || !_findingKeys.Add($"{kind}:{key}")) return;
        var finding = new FuzzFinding(target.Name, kind, input, key, detail);
        _findings.Add(finding);
        if (options.OutputDirectory is not null)
        {
            string folder = Path.Combine(options.OutputDirectory, "findings", target.Name);
            string name = $"{kind.ToString().ToLowerInvariant()}-{options.Seed}-{_findings.Count}";
            CorpusFiles.Write(folder, name, input);
            File.WriteAllText(Path.Combine(folder, name + ".txt"), finding + "\n");
        }
        if (options.StopAtFirstFinding) _stop = true;
    }

    // The method that threw: the first frame in project code (ownCodeOnly) or the very first frame (for crash keys).
    private static string Where(Exception error, bool ownCodeOnly)
    {
        foreach (StackFrame frame in new StackTrace(error, false).GetFrames())
        {
            System.Reflection.MethodBase? method = frame.GetMethod();
            string? type = method?.DeclaringType?.FullName;
            if (method is null || type is null) continue;
            if (ownCodeOnly && (!type.StartsWith("Mgr.", StringComparison.Ordinal) || type.StartsWith("Mgr.Fuzz", StringComparison.Ordinal))) continue;
            return $"{method.DeclaringType!.Name}.{method.Name}";
        }
        return "?";
    }

    private static string Describe(Exception error)
    {
        string[] stack = (error.StackTrace ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string top = string.Join("\n", stack.Take(6).Select(line => line.Trim()));
        string inner = error.InnerException is null ? string.Empty : $"\ninner: {error.InnerException.GetType().Name}: {error.InnerException.Message}";
        return $"{error.GetType().FullName}: {error.Message}{inner}\n{top}";
    }
}
