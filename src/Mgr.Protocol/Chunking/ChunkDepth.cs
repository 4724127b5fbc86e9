using Mgr.Protocol.Messages;

namespace Mgr.Protocol.Chunking;

/// <summary>Chooses the chunk depth from a trie's leaf count (spec/mgr-protocol.md §5.2): the smallest d with
/// <c>n ≤ 4·T·16^d</c>, capped at <see cref="Limits.MaxSelectedDepth"/> — log16(n/T) rounded to nearest, so an
/// average chunk holds between T/4 and 4T leaves. A pure function: every seeder of a state picks the same d.</summary>
public static class ChunkDepth
{
    /// <summary>Depth for a trie of <paramref name="leafCount"/> leaves with the protocol's target.</summary>
    public static int Select(ulong leafCount) => Select(leafCount, Limits.TargetLeavesPerChunk);

    /// <summary>Depth for a trie of <paramref name="leafCount"/> leaves and a target of <paramref name="targetLeavesPerChunk"/>.</summary>
    public static int Select(ulong leafCount, int targetLeavesPerChunk)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetLeavesPerChunk, 1);
        UInt128 bound = (UInt128)targetLeavesPerChunk * 4;
        for (int depth = 0; depth < Limits.MaxSelectedDepth; depth++)
        {
            if (leafCount <= bound) return depth;
            bound *= 16;
        }
        return Limits.MaxSelectedDepth;
    }
}
