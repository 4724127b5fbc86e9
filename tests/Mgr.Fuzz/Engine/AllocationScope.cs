namespace Mgr.Fuzz.Engine;

/// <summary>Where a target's allocations are counted.</summary>
internal enum AllocationScope
{
    /// <summary>The decoder runs synchronously on the fuzzing thread: <see cref="GC.GetAllocatedBytesForCurrentThread"/>
    /// around the call counts exactly what the input cost.</summary>
    Thread,

    /// <summary>The target runs async code on the thread pool: <see cref="GC.GetTotalAllocatedBytes(bool)"/> counts the
    /// whole process, so the budget must leave room for the runtime's own background allocations.</summary>
    Process,
}
