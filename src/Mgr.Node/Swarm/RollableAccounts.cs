using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;

namespace Mgr.Node.Swarm;

/// <summary>The account keyspace a leecher holds at roots older than its current epoch, per epoch it was held at, so
/// each range can be rolled forward by a chunk diff from exactly that epoch (spec/swarm.md §5). Ranges of different
/// epochs never overlap; epochs older than the servers' diff window are dropped (their ranges are pulled afresh).</summary>
/// <remarks>Not thread-safe: owned by the engine's loop.</remarks>
internal sealed class RollableAccounts
{
    private readonly List<(EpochAnchor From, KeyRangeSet Ranges)> _entries = [];

    /// <summary>True when nothing is left to roll.</summary>
    public bool IsEmpty => _entries.Count == 0;

    /// <summary>Records that <paramref name="ranges"/> are held at <paramref name="from"/>'s root (taking them away from
    /// any older entry), then forgets epochs more than <see cref="Limits.DiffWindowEpochs"/> before <paramref name="current"/>.</summary>
    public void Add(EpochAnchor from, KeyRangeSet ranges, EpochAnchor current)
    {
        if (!ranges.IsEmpty)
        {
            Remove(ranges);
            _entries.Add((from, ranges));
        }
        _entries.RemoveAll(entry => entry.From.Number + Limits.DiffWindowEpochs < current.Number);
    }

    /// <summary>Takes <paramref name="ranges"/> out of every entry (they are now held at the current root, or given up).</summary>
    public void Remove(KeyRangeSet ranges)
    {
        for (int i = _entries.Count - 1; i >= 0; i--)
        {
            KeyRangeSet left = _entries[i].Ranges.Except(ranges);
            if (left.IsEmpty) _entries.RemoveAt(i);
            else _entries[i] = (_entries[i].From, left);
        }
    }

    /// <summary>True when some older root holds part of <paramref name="range"/>.</summary>
    public bool Overlaps(KeyRange range) => _entries.Any(entry => entry.Ranges.Overlaps(range));

    /// <summary>The epoch at whose root <paramref name="range"/> is held as a whole, if any.</summary>
    public EpochAnchor? FromOf(KeyRange range)
    {
        foreach ((EpochAnchor from, KeyRangeSet ranges) in _entries)
            if (ranges.Contains(range)) return from;
        return null;
    }

    /// <summary>The chunks at <paramref name="depth"/> wholly held at one older root, newest epoch first, with that epoch.</summary>
    public IEnumerable<(ChunkId Chunk, EpochAnchor From)> Chunks(int depth)
    {
        var partition = new KeyspacePartition(depth);
        foreach ((EpochAnchor from, KeyRangeSet ranges) in _entries.OrderByDescending(static entry => entry.From.Number))
        {
            for (ulong i = 0; i < partition.ChunkCount; i++)
            {
                ChunkId chunk = partition.ChunkAt(i);
                if (ranges.Contains(chunk.Range)) yield return (chunk, from);
            }
        }
    }

    /// <summary>Forgets everything.</summary>
    public void Clear() => _entries.Clear();
}
