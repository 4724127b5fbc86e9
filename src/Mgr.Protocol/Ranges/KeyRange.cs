using Mgr.Trie.Primitives;

namespace Mgr.Protocol.Ranges;

/// <summary>A closed interval [<see cref="Start"/>, <see cref="End"/>] of the 256-bit keyspace, in
/// <see cref="Hash256.CompareTo"/> order. Start ≤ End is enforced.</summary>
public readonly record struct KeyRange
{
    public KeyRange(Hash256 start, Hash256 end)
    {
        if (start > end) throw new ArgumentException($"Range start {start} is after its end {end}.", nameof(start));
        Start = start;
        End = end;
    }

    /// <summary>First key in the range.</summary>
    public Hash256 Start { get; }

    /// <summary>Last key in the range (inclusive).</summary>
    public Hash256 End { get; }

    /// <summary>The whole keyspace.</summary>
    public static KeyRange Full => new(Hash256.Zero, Hash256.MaxValue);

    /// <summary>True when <paramref name="key"/> lies in the range.</summary>
    public bool Contains(Hash256 key) => key >= Start && key <= End;

    /// <summary>Number of keys in the range divided by 2^256 (1.0 for the full keyspace).</summary>
    public double Fraction => ToUnitInterval(End) - ToUnitInterval(Start) + Math.ScaleB(1.0, -256);

    // The key as a fraction of 2^256; the two high words carry all the precision a double keeps.
    private static double ToUnitInterval(Hash256 key) =>
        Math.ScaleB(key.Word(0), -64) + Math.ScaleB(key.Word(1), -128) + Math.ScaleB(key.Word(2), -192) + Math.ScaleB(key.Word(3), -256);

    public override string ToString() => $"[{Start}, {End}]";
}
