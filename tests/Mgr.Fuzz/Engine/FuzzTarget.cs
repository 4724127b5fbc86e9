namespace Mgr.Fuzz.Engine;

/// <summary>One decoder under fuzz: how to feed it bytes, which failures it documents, and what it may cost.</summary>
/// <remarks><see cref="Execute"/> returns a short verdict for inputs it accepts and lets the decoder's documented typed
/// exception escape for inputs it rejects; <see cref="Classify"/> names that exception's reason. Anything else that
/// escapes is a crash. Targets also assert oracles (an accepted encoding must re-encode to the same bytes) by throwing
/// <see cref="FuzzOracleException"/>. Instances are used by one thread at a time.</remarks>
internal abstract class FuzzTarget
{
    /// <summary>The name used on the command line and for the corpus folder.</summary>
    public abstract string Name { get; }

    /// <summary>Which structure-aware mutations apply.</summary>
    public abstract InputFormat Format { get; }

    /// <summary>Leading bytes (a message code, a length) that structure-aware mutations leave in front of the structure.</summary>
    public virtual int StructureOffset => 0;

    /// <summary>What one input may allocate.</summary>
    public abstract AllocationBudget Budget { get; }

    /// <summary>How allocations are counted.</summary>
    public virtual AllocationScope AllocationScope => AllocationScope.Thread;

    /// <summary>How long one input may take before it counts as a hang. Generous: a correct decoder needs
    /// microseconds, and the bound has to hold on a loaded two-core machine.</summary>
    public virtual TimeSpan TimeBound => TimeSpan.FromSeconds(5);

    /// <summary>Largest mutant fed to the target.</summary>
    public virtual int MaxInputBytes => 16 * 1024;

    /// <summary>Valid encodings the mutations start from (also checked in under corpus/&lt;name&gt;/).</summary>
    public abstract IEnumerable<byte[]> Seeds();

    /// <summary>Format-specific tokens spliced into inputs besides the shared dictionary.</summary>
    public virtual IEnumerable<byte[]> Tokens() => [];

    /// <summary>Feeds <paramref name="input"/> to the decoder and returns a short verdict for an accepted input.</summary>
    public abstract string Execute(byte[] input);

    /// <summary>The reason of a documented typed failure, or null when <paramref name="error"/> is not one.</summary>
    public abstract string? Classify(Exception error);
}
