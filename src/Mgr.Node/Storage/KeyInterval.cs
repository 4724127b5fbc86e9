using Mgr.Trie.Primitives;

namespace Mgr.Node.Storage;

/// <summary>An inclusive interval [<see cref="Start"/>, <see cref="End"/>] of the 256-bit key space, as persisted in
/// <see cref="Schema.SyncProgress"/>. Constructing one with Start &gt; End is an <see cref="ArgumentException"/>.</summary>
public readonly record struct KeyInterval
{
    public KeyInterval(Hash256 start, Hash256 end)
    {
        if (start > end) throw new ArgumentException($"Interval start {start} is after its end {end}.", nameof(start));
        Start = start;
        End = end;
    }

    public Hash256 Start { get; }

    public Hash256 End { get; }

    /// <summary>The whole key space.</summary>
    public static KeyInterval All => new(Hash256.Zero, Hash256.MaxValue);

    public bool Contains(Hash256 key) => key >= Start && key <= End;

    public bool Overlaps(KeyInterval other) => Start <= other.End && other.Start <= End;

    /// <summary>Overlapping or adjacent (no key between them), so the two merge into one interval.</summary>
    public bool Touches(KeyInterval other)
        => Overlaps(other) || (End != Hash256.MaxValue && End.Increment() == other.Start) || (other.End != Hash256.MaxValue && other.End.Increment() == Start);

    public override string ToString() => $"[{Start}, {End}]";
}
