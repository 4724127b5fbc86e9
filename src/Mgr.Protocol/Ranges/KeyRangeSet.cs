using System.Numerics;
using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Ranges;

/// <summary>An immutable set of keys of the 256-bit keyspace, kept in canonical form: sorted, disjoint,
/// non-adjacent closed intervals, so equal sets have equal <see cref="Intervals"/> and equal encodings.
/// Used for have-sets (spec/mgr-protocol.md §5.4).</summary>
/// <remarks>Operations return new sets and run in time linear in the number of intervals. Thread-safe.</remarks>
public sealed class KeyRangeSet : IEquatable<KeyRangeSet>
{
    private readonly KeyRange[] _ranges;
    private int _contentLength = -1; // computed once: a have-set is sized every time a Status carrying it is sent

    private KeyRangeSet(KeyRange[] canonical) => _ranges = canonical;

    /// <summary>The empty set.</summary>
    public static KeyRangeSet Empty { get; } = new([]);

    /// <summary>The whole keyspace.</summary>
    public static KeyRangeSet Full { get; } = new([KeyRange.Full]);

    /// <summary>Builds the canonical set covering the union of <paramref name="ranges"/> (any order, overlaps allowed).</summary>
    public static KeyRangeSet From(IEnumerable<KeyRange> ranges)
    {
        KeyRange[] sorted = [.. ranges];
        Array.Sort(sorted, static (a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<KeyRange>(sorted.Length);
        foreach (KeyRange range in sorted) Append(merged, range);
        return merged.Count == 0 ? Empty : new KeyRangeSet([.. merged]);
    }

    /// <summary>A set of one interval.</summary>
    public static KeyRangeSet Of(KeyRange range) => new([range]);

    /// <summary>The canonical intervals, ascending.</summary>
    public ReadOnlySpan<KeyRange> Intervals => _ranges;

    /// <summary>Number of intervals.</summary>
    public int Count => _ranges.Length;

    /// <summary>True when no key is in the set.</summary>
    public bool IsEmpty => _ranges.Length == 0;

    /// <summary>True when every key is in the set.</summary>
    public bool IsFull => _ranges.Length == 1 && _ranges[0] == KeyRange.Full;

    /// <summary>Covered keys divided by 2^256.</summary>
    public double Coverage
    {
        get
        {
            double total = 0;
            foreach (KeyRange range in _ranges) total += range.Fraction;
            return Math.Min(total, 1.0);
        }
    }

    /// <summary>True when <paramref name="key"/> is in the set (binary search).</summary>
    public bool Contains(Hash256 key)
    {
        int index = IndexOfLastStartAtOrBefore(key);
        return index >= 0 && key <= _ranges[index].End;
    }

    /// <summary>True when every key of <paramref name="range"/> is in the set.</summary>
    public bool Contains(KeyRange range)
    {
        int index = IndexOfLastStartAtOrBefore(range.Start);
        return index >= 0 && range.End <= _ranges[index].End;
    }

    /// <summary>True when some key of <paramref name="range"/> is in the set.</summary>
    public bool Overlaps(KeyRange range)
    {
        int index = IndexOfLastStartAtOrBefore(range.End);
        return index >= 0 && _ranges[index].End >= range.Start;
    }

    /// <summary>Keys in this set or in <paramref name="other"/>.</summary>
    public KeyRangeSet Union(KeyRangeSet other)
    {
        if (other.IsEmpty) return this;
        if (IsEmpty) return other;
        var merged = new List<KeyRange>(_ranges.Length + other._ranges.Length);
        int i = 0, j = 0;
        while (i < _ranges.Length || j < other._ranges.Length)
        {
            bool takeThis = j >= other._ranges.Length || (i < _ranges.Length && _ranges[i].Start <= other._ranges[j].Start);
            Append(merged, takeThis ? _ranges[i++] : other._ranges[j++]);
        }
        return new KeyRangeSet([.. merged]);
    }

    /// <summary>Keys in both sets.</summary>
    public KeyRangeSet Intersect(KeyRangeSet other)
    {
        var result = new List<KeyRange>();
        int i = 0, j = 0;
        while (i < _ranges.Length && j < other._ranges.Length)
        {
            KeyRange a = _ranges[i], b = other._ranges[j];
            Hash256 start = a.Start > b.Start ? a.Start : b.Start;
            Hash256 end = a.End < b.End ? a.End : b.End;
            if (start <= end) result.Add(new KeyRange(start, end));
            if (a.End < b.End) i++;
            else j++;
        }
        return result.Count == 0 ? Empty : new KeyRangeSet([.. result]);
    }

    /// <summary>Keys not in the set.</summary>
    public KeyRangeSet Complement()
    {
        var gaps = new List<KeyRange>(_ranges.Length + 1);
        Hash256 next = Hash256.Zero;
        bool nextValid = true; // false once an interval reaches MaxValue
        foreach (KeyRange range in _ranges)
        {
            if (range.Start > next) gaps.Add(new KeyRange(next, range.Start.Decrement()));
            if (range.End == Hash256.MaxValue)
            {
                nextValid = false;
                break;
            }
            next = range.End.Increment();
        }
        if (nextValid) gaps.Add(new KeyRange(next, Hash256.MaxValue));
        return gaps.Count == 0 ? Empty : new KeyRangeSet([.. gaps]);
    }

    /// <summary>Keys in this set but not in <paramref name="other"/>.</summary>
    public KeyRangeSet Except(KeyRangeSet other) => other.IsEmpty ? this : Intersect(other.Complement());

    /// <summary>Encoded length of <see cref="WriteTo"/>.</summary>
    public int EncodedLength() => Rlp.LengthOfList(ContentLength());

    /// <summary>Writes the canonical encoding: a list of [trimmed start, trimmed end] pairs.</summary>
    public void WriteTo(ref RlpWriter writer)
    {
        writer.WriteListHeader(ContentLength());
        byte[] buffer = ScratchBytes.Get();
        foreach (KeyRange range in _ranges)
        {
            int startLength = TrimmedLength(range.Start, 0x00), endLength = TrimmedLength(range.End, 0xff);
            writer.WriteListHeader(PairContentLength(startLength, range.Start, endLength, range.End));
            range.Start.CopyTo(buffer);
            writer.WriteBytes(buffer.AsSpan(0, startLength));
            range.End.CopyTo(buffer);
            writer.WriteBytes(buffer.AsSpan(0, endLength));
        }
    }

    /// <summary>Reads a canonical encoding; rejects anything else with a typed violation.</summary>
    /// <exception cref="ProtocolViolationException">Non-canonical, unsorted, overlapping, adjacent or too many intervals.</exception>
    /// <exception cref="RlpException">Malformed RLP (callers translate it with <see cref="ProtocolViolationException.FromRlp"/>).</exception>
    public static KeyRangeSet Read(ref RlpReader reader)
    {
        RlpReader list = reader.ReadList();
        if (list.IsEnd) return Empty;
        var ranges = new List<KeyRange>();
        byte[] buffer = ScratchBytes.Get();
        while (!list.IsEnd)
        {
            if (ranges.Count == Limits.MaxHaveIntervals) ProtocolViolationException.Throw(ViolationReason.TooManyItems, "range set has too many intervals");
            RlpReader pair = list.ReadList();
            Hash256 start = ReadBoundary(ref pair, buffer, 0x00);
            Hash256 end = ReadBoundary(ref pair, buffer, 0xff);
            pair.EnsureEnd();
            if (start > end) ProtocolViolationException.Throw(ViolationReason.InvalidRangeSet, $"interval start {start} after end {end}");
            if (ranges.Count > 0)
            {
                Hash256 previousEnd = ranges[^1].End;
                if (previousEnd == Hash256.MaxValue || start <= previousEnd.Increment())
                    ProtocolViolationException.Throw(ViolationReason.InvalidRangeSet, "intervals overlap, touch or are out of order");
            }
            ranges.Add(new KeyRange(start, end));
        }
        return new KeyRangeSet([.. ranges]);
    }

    public bool Equals(KeyRangeSet? other) => other is not null && _ranges.AsSpan().SequenceEqual(other._ranges);

    public override bool Equals(object? obj) => Equals(obj as KeyRangeSet);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (KeyRange range in _ranges) hash.Add(range);
        return hash.ToHashCode();
    }

    public override string ToString() => _ranges.Length == 0 ? "{}" : "{" + string.Join(", ", _ranges) + "}";

    // Adds a range whose start is ≥ every earlier start, merging with the last interval when they overlap or touch.
    private static void Append(List<KeyRange> merged, KeyRange range)
    {
        if (merged.Count > 0)
        {
            KeyRange last = merged[^1];
            if (last.End == Hash256.MaxValue || range.Start <= last.End.Increment())
            {
                if (range.End > last.End) merged[^1] = new KeyRange(last.Start, range.End);
                return;
            }
        }
        merged.Add(range);
    }

    private int IndexOfLastStartAtOrBefore(Hash256 key)
    {
        int low = 0, high = _ranges.Length - 1, found = -1;
        while (low <= high)
        {
            int mid = (low + high) >>> 1;
            if (_ranges[mid].Start <= key)
            {
                found = mid;
                low = mid + 1;
            }
            else high = mid - 1;
        }
        return found;
    }

    private int ContentLength()
    {
        if (_contentLength >= 0) return _contentLength;
        int content = 0;
        foreach (KeyRange range in _ranges)
        {
            int startLength = TrimmedLength(range.Start, 0x00), endLength = TrimmedLength(range.End, 0xff);
            content += Rlp.LengthOfList(PairContentLength(startLength, range.Start, endLength, range.End));
        }
        return _contentLength = content;
    }

    private static int PairContentLength(int startLength, Hash256 start, int endLength, Hash256 end) =>
        BoundaryLength(start, startLength) + BoundaryLength(end, endLength);

    // RLP length of the first `length` bytes of key as a string item.
    private static int BoundaryLength(Hash256 key, int length) =>
        length == 1 && key[0] < 0x80 ? 1 : Rlp.LengthOfHeader(length) + length;

    // Bytes left after removing trailing `padding` bytes.
    private static int TrimmedLength(Hash256 key, byte padding)
    {
        ulong pad = padding * 0x0101010101010101UL;
        for (int word = 3; word >= 0; word--)
        {
            ulong differs = key.Word(word) ^ pad; // its last byte is the key's byte 8·word + 7
            if (differs != 0) return 8 * word + 8 - BitOperations.TrailingZeroCount(differs) / 8;
        }
        return 0;
    }

    private static Hash256 ReadBoundary(ref RlpReader pair, byte[] buffer, byte padding)
    {
        ReadOnlySpan<byte> bytes = pair.ReadBytes();
        if (bytes.Length > Hash256.Length) ProtocolViolationException.Throw(ViolationReason.WrongType, "range boundary longer than 32 bytes");
        if (bytes.Length > 0 && bytes[^1] == padding) ProtocolViolationException.Throw(ViolationReason.NonCanonical, "range boundary not trimmed");
        bytes.CopyTo(buffer);
        buffer.AsSpan(bytes.Length).Fill(padding);
        return new Hash256(buffer);
    }
}
