using System.Buffers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Storage;

/// <summary>Forward state diffs by block (<see cref="Schema.StateDiffs"/>: number ‖ hash → diff RLP), kept for a window
/// of recent blocks so the node can answer GetStateDiff. The caller has verified each diff against its block.</summary>
public static class StateDiffStore
{
    public static void Write(IWriteBatch batch, ulong number, Hash256 hash, ReadOnlySpan<byte> encodedDiff)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Span<byte> key = stackalloc byte[Schema.HeaderKeyLength];
        Schema.WriteHeaderKey(number, hash, key);
        batch.Put(Schema.StateDiffs, key, encodedDiff);
    }

    /// <summary>Appends the diff of block (number, hash) to <paramref name="encodedDiff"/>; false if not kept.</summary>
    public static bool TryRead(IKeyValueReader reader, ulong number, Hash256 hash, IBufferWriter<byte> encodedDiff)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Span<byte> key = stackalloc byte[Schema.HeaderKeyLength];
        Schema.WriteHeaderKey(number, hash, key);
        return reader.TryGet(Schema.StateDiffs, key, encodedDiff);
    }

    /// <summary>Deletes the diffs of every block below <paramref name="firstKept"/> (one range delete).</summary>
    public static void DeleteBelow(IWriteBatch batch, ulong firstKept)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (firstKept == 0) return;
        Span<byte> end = stackalloc byte[Schema.NumberLength];
        Schema.WriteNumber(firstKept, end);
        batch.DeleteRange(Schema.StateDiffs, ReadOnlySpan<byte>.Empty, end);
    }

    /// <summary>The lowest block number with a kept diff, or null when none is kept.</summary>
    public static ulong? LowestNumber(IKeyValueReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        using IRangeCursor cursor = reader.Iterate(Schema.StateDiffs, [], []);
        return cursor.MoveNext() ? Schema.ReadNumber(cursor.Key) : null;
    }
}
