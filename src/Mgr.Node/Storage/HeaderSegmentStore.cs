using Mgr.Trie.Primitives;

namespace Mgr.Node.Storage;

/// <summary>Header-download segment markers (<see cref="Schema.HeaderSegments"/>), keyed by first number.</summary>
public static class HeaderSegmentStore
{
    private const int ValueLength = Schema.NumberLength + 2 * Hash256.Length;

    /// <summary>Stores <paramref name="segment"/> (replacing a segment with the same first number). From &gt; To is an <see cref="ArgumentException"/>.</summary>
    public static void Write(IWriteBatch batch, HeaderSegment segment)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (segment.From > segment.To) throw new ArgumentException($"Segment [{segment.From}, {segment.To}] ends before it starts.", nameof(segment));
        Span<byte> key = stackalloc byte[Schema.NumberLength];
        Span<byte> value = stackalloc byte[ValueLength];
        Schema.WriteNumber(segment.From, key);
        Schema.WriteNumber(segment.To, value);
        segment.FromHash.CopyTo(value[Schema.NumberLength..]);
        segment.ToHash.CopyTo(value[(Schema.NumberLength + Hash256.Length)..]);
        batch.Put(Schema.HeaderSegments, key, value);
    }

    public static void Delete(IWriteBatch batch, ulong from)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Span<byte> key = stackalloc byte[Schema.NumberLength];
        Schema.WriteNumber(from, key);
        batch.Delete(Schema.HeaderSegments, key);
    }

    /// <summary>Every stored segment, by ascending first number.</summary>
    public static IReadOnlyList<HeaderSegment> ReadAll(IKeyValueReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var segments = new List<HeaderSegment>();
        using IRangeCursor cursor = reader.Iterate(Schema.HeaderSegments, default, default);
        while (cursor.MoveNext())
        {
            ReadOnlySpan<byte> key = cursor.Key, value = cursor.Value;
            if (key.Length != Schema.NumberLength || value.Length != ValueLength)
                throw new StorageException($"Corrupt header-segment entry: key of {key.Length} bytes, value of {value.Length} bytes.");
            segments.Add(new HeaderSegment(
                Schema.ReadNumber(key), Schema.ReadNumber(value),
                new Hash256(value.Slice(Schema.NumberLength, Hash256.Length)),
                new Hash256(value.Slice(Schema.NumberLength + Hash256.Length, Hash256.Length))));
        }
        return segments;
    }
}
