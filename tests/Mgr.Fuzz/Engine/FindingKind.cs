namespace Mgr.Fuzz.Engine;

/// <summary>What went wrong with one input.</summary>
internal enum FindingKind
{
    /// <summary>An exception other than the target's documented typed failure, or a broken oracle (for example a
    /// decoded value that does not re-encode to the bytes it came from).</summary>
    Crash,

    /// <summary>The input did not finish within the target's time bound.</summary>
    Hang,

    /// <summary>The input allocated more than the target's <see cref="AllocationBudget"/>, twice in a row.</summary>
    Allocation,
}
