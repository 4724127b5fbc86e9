using Mgr.Protocol.Chunking;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>How many peers hold each account chunk of a partition at an epoch: what <see cref="RemotePeer.Holds"/>
/// answers chunk by chunk (an interval of a have-set holds a chunk only if it holds all of it; a seeder of the epoch
/// holds every chunk), from one pass over the peers' intervals instead of a search per chunk and peer.</summary>
/// <remarks>A difference array over chunk indices, then its running sums: O(intervals + chunks) where the per-chunk
/// scan was O(chunks × peers × log intervals), the larger part of a simulation's time at 4,096 chunks and of a leecher's
/// tick on a large state.</remarks>
internal static class HolderCounts
{
    /// <summary>Fills <paramref name="buffer"/> (grown when too short; reused across calls) so that its entry i is the
    /// number of <paramref name="peers"/> holding chunk i of <paramref name="partition"/> at the epoch
    /// <paramref name="epochHash"/>, and returns it; entries past the chunk count are scratch.</summary>
    public static int[] Count(IEnumerable<RemotePeer> peers, Hash256 epochHash, KeyspacePartition partition, ref int[] buffer)
    {
        int count = checked((int)partition.ChunkCount);
        if (buffer.Length < count + 1) buffer = new int[count + 1];
        Span<int> counts = buffer.AsSpan(0, count + 1);
        counts.Clear();
        int holdingAll = 0;
        foreach (RemotePeer peer in peers)
        {
            if (!peer.IsOnEpoch(epochHash)) continue;
            if (peer.IsSeederOf(epochHash))
            {
                holdingAll++;
                continue;
            }
            foreach (KeyRange interval in peer.Accounts.Intervals)
            {
                ulong first = partition.IndexOf(interval.Start), last = partition.IndexOf(interval.End);
                if (partition.ChunkAt(first).Range.Start != interval.Start) first++;
                if (partition.ChunkAt(last).Range.End != interval.End)
                {
                    if (last == 0) continue;
                    last--;
                }
                if (first > last) continue;
                counts[(int)first]++;
                counts[(int)last + 1]--;
            }
        }
        for (int i = 0, running = holdingAll; i < count; i++) counts[i] = running += counts[i];
        return buffer;
    }
}
