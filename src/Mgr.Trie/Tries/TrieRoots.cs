using Mgr.Trie.Building;
using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.Storage;

namespace Mgr.Trie.Tries;

/// <summary>Roots of key/value sets given in any order (genesis allocations, tests, tools): sorts, then runs
/// the <see cref="StackTrieBuilder"/>, optionally emitting the nodes to a sink.</summary>
/// <remarks>A duplicate key or an empty value throws <see cref="TrieBuildException"/>. Holds the whole set
/// in memory while sorting; stream through <see cref="StackTrieBuilder"/> directly for large sorted input.</remarks>
public static class TrieRoots
{
    /// <summary>The root of a plain trie over <paramref name="entries"/>.</summary>
    public static Hash256 Compute(IEnumerable<KeyValuePair<byte[], byte[]>> entries, INodeSink? sink = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var sorted = entries.ToList();
        sorted.Sort((a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
        var builder = new StackTrieBuilder(sink);
        foreach (var (key, value) in sorted) builder.Add(key, value);
        return builder.Finish();
    }

    /// <summary>The root of a secure trie (keys hashed with Keccak-256) over <paramref name="entries"/>.</summary>
    public static Hash256 ComputeSecure(IEnumerable<KeyValuePair<byte[], byte[]>> entries, INodeSink? sink = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return Compute(entries.Select(e => new TrieLeaf(Keccak256.Compute(e.Key), e.Value)), sink);
    }

    /// <summary>The root of a trie with 32-byte keys over <paramref name="leaves"/>.</summary>
    public static Hash256 Compute(IEnumerable<TrieLeaf> leaves, INodeSink? sink = null)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        var sorted = leaves.ToList();
        sorted.Sort((a, b) => a.Key.CompareTo(b.Key));
        var builder = new StackTrieBuilder(sink);
        foreach (TrieLeaf leaf in sorted) builder.Add(leaf.Key, leaf.Value.Span);
        return builder.Finish();
    }
}
