using Mgr.Trie.Nibbles;
using Mgr.Trie.Nodes;
using Mgr.Trie.Primitives;
using Mgr.Trie.Storage;

namespace Mgr.Trie.Tries;

/// <summary>A hexary Merkle-Patricia trie (Yellow Paper appendix D) over byte keys of any length, reading
/// its nodes lazily from a hash-keyed <see cref="INodeStore"/>.</summary>
/// <remarks>Changes build new nodes in memory (the old root stays readable in the store);
/// <see cref="Commit"/> writes the new nodes. An empty value means "absent": setting one deletes the key.
/// Not thread-safe. A missing or malformed stored node ends in <see cref="TrieException"/>.</remarks>
public sealed class PatriciaTrie
{
    private readonly INodeStore _store;
    private TrieNode? _root;

    /// <summary>An empty trie over <paramref name="store"/>.</summary>
    public PatriciaTrie(INodeStore store) : this(store, Hash256.EmptyTrieRoot) { }

    /// <summary>The trie with root <paramref name="root"/> in <paramref name="store"/>.</summary>
    public PatriciaTrie(INodeStore store, Hash256 root)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _root = root == Hash256.EmptyTrieRoot ? null : new HashReferenceNode(root);
    }

    /// <summary>The root hash (Keccak-256 of the root node's RLP; <see cref="Hash256.EmptyTrieRoot"/> when empty).</summary>
    public Hash256 RootHash => _root?.Hash ?? Hash256.EmptyTrieRoot;

    /// <summary>The node store this trie reads from and commits to.</summary>
    public INodeStore Store => _store;

    /// <summary>The value under <paramref name="key"/>, or null when absent.</summary>
    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        Span<byte> path = key.Length <= 256 ? stackalloc byte[key.Length * 2] : new byte[key.Length * 2];
        NibblePath.Expand(key, path);
        TrieNode? node = _root;
        while (node is not null)
        {
            node = Resolve(node);
            switch (node)
            {
                case LeafNode leaf:
                    return path.SequenceEqual(leaf.Path.Span) ? leaf.Value : null;
                case ExtensionNode extension:
                    if (!path.StartsWith(extension.Path.Span)) return null;
                    path = path[extension.Path.Length..];
                    node = extension.Child;
                    break;
                case BranchNode branch:
                    if (path.IsEmpty) return branch.Value;
                    node = branch.Children[path[0]];
                    path = path[1..];
                    break;
            }
        }
        return null;
    }

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> (copied); an empty value deletes the key.</summary>
    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            Delete(key);
            return;
        }
        NibblePath path = NibblePath.FromBytes(key);
        _root = Insert(_root, path.Span, value.ToArray());
    }

    /// <summary>Removes <paramref name="key"/>; returns false when it was absent.</summary>
    public bool Delete(ReadOnlySpan<byte> key)
    {
        NibblePath path = NibblePath.FromBytes(key);
        TrieNode? root = Remove(_root, path.Span, out bool removed);
        if (removed) _root = root;
        return removed;
    }

    /// <summary>Writes every node not yet in the store (root included, nodes shorter than 32 bytes inside
    /// their parents) and returns the root hash.</summary>
    public Hash256 Commit()
    {
        if (_root is null) return Hash256.EmptyTrieRoot;
        CommitNode(_root, isRoot: true);
        return _root.Hash;
    }

    /// <summary>All entries in ascending key order (or descending), skipping subtrees entirely before
    /// <paramref name="bound"/> (after it when descending); null bound walks everything.</summary>
    public IEnumerable<TrieEntry> Enumerate(byte[]? bound = null, bool descending = false)
    {
        if (_root is null) yield break;
        byte[] boundPath = bound is null ? [] : NibblePath.FromBytes(bound).Span.ToArray();
        foreach (TrieEntry entry in Walk(_root, [], bound is null ? null : boundPath, descending)) yield return entry;
    }

    /// <summary>The first entry whose key is strictly greater than <paramref name="key"/>; false when none.</summary>
    public bool TryGetNext(byte[] key, out TrieEntry entry)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (TrieEntry candidate in Enumerate(key))
        {
            if (candidate.Key.AsSpan().SequenceCompareTo(key) > 0)
            {
                entry = candidate;
                return true;
            }
        }
        entry = default;
        return false;
    }

    /// <summary>The last entry whose key is strictly less than <paramref name="key"/>; false when none.</summary>
    public bool TryGetPrevious(byte[] key, out TrieEntry entry)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (TrieEntry candidate in Enumerate(key, descending: true))
        {
            if (candidate.Key.AsSpan().SequenceCompareTo(key) < 0)
            {
                entry = candidate;
                return true;
            }
        }
        entry = default;
        return false;
    }

    /// <summary>Loads <paramref name="node"/> from the store if it is a hash reference.</summary>
    internal TrieNode Resolve(TrieNode node)
    {
        if (node is not HashReferenceNode reference) return node;
        if (!_store.TryGet(reference.Hash, out ReadOnlyMemory<byte> rlp)) throw TrieException.Missing(reference.Hash);
        TrieNode loaded = NodeCodec.Decode(rlp.Span, reference.Hash);
        loaded.IsPersisted = true;
        return loaded;
    }

    private TrieNode Insert(TrieNode? node, ReadOnlySpan<byte> path, byte[] value)
    {
        if (node is null) return new LeafNode(NibblePath.FromTrusted(path), value);
        node = Resolve(node);
        switch (node)
        {
            case LeafNode leaf:
            {
                ReadOnlySpan<byte> leafPath = leaf.Path.Span;
                int common = path.CommonPrefixLength(leafPath);
                if (common == path.Length && common == leafPath.Length) return new LeafNode(leaf.Path, value);
                var children = new TrieNode?[16];
                byte[]? branchValue = null;
                if (common == leafPath.Length) branchValue = leaf.Value;
                else children[leafPath[common]] = new LeafNode(NibblePath.FromTrusted(leafPath[(common + 1)..]), leaf.Value);
                if (common == path.Length) branchValue = value;
                else children[path[common]] = new LeafNode(NibblePath.FromTrusted(path[(common + 1)..]), value);
                return WithExtension(path[..common], new BranchNode(children, branchValue));
            }
            case ExtensionNode extension:
            {
                ReadOnlySpan<byte> extensionPath = extension.Path.Span;
                int common = path.CommonPrefixLength(extensionPath);
                if (common == extensionPath.Length)
                    return new ExtensionNode(extension.Path, Insert(extension.Child, path[common..], value));
                var children = new TrieNode?[16];
                children[extensionPath[common]] = WithExtension(extensionPath[(common + 1)..], extension.Child);
                byte[]? branchValue = null;
                if (common == path.Length) branchValue = value;
                else children[path[common]] = new LeafNode(NibblePath.FromTrusted(path[(common + 1)..]), value);
                return WithExtension(path[..common], new BranchNode(children, branchValue));
            }
            default:
            {
                var branch = (BranchNode)node;
                if (path.IsEmpty) return new BranchNode(branch.CopyChildren(), value);
                TrieNode?[] children = branch.CopyChildren();
                children[path[0]] = Insert(children[path[0]], path[1..], value);
                return new BranchNode(children, branch.Value);
            }
        }
    }

    private TrieNode? Remove(TrieNode? node, ReadOnlySpan<byte> path, out bool removed)
    {
        removed = false;
        if (node is null) return null;
        node = Resolve(node);
        switch (node)
        {
            case LeafNode leaf:
                removed = path.SequenceEqual(leaf.Path.Span);
                return removed ? null : leaf;
            case ExtensionNode extension:
            {
                if (!path.StartsWith(extension.Path.Span)) return extension;
                TrieNode? child = Remove(extension.Child, path[extension.Path.Length..], out removed);
                if (!removed) return extension;
                return child is null ? null : Prepend(extension.Path.Span, child);
            }
            default:
            {
                var branch = (BranchNode)node;
                TrieNode?[] children = branch.CopyChildren();
                byte[]? value = branch.Value;
                if (path.IsEmpty)
                {
                    if (value is null) return branch;
                    value = null;
                    removed = true;
                }
                else
                {
                    children[path[0]] = Remove(children[path[0]], path[1..], out removed);
                    if (!removed) return branch;
                }
                return Collapse(children, value);
            }
        }
    }

    // A branch that lost an entry: keep it if it still has two things, else fold it into its only one.
    private TrieNode? Collapse(TrieNode?[] children, byte[]? value)
    {
        int count = value is null ? 0 : 1, only = -1;
        for (int i = 0; i < 16; i++)
        {
            if (children[i] is null) continue;
            count++;
            only = i;
        }
        if (count >= 2) return new BranchNode(children, value);
        if (count == 0) return null;
        if (value is not null) return new LeafNode(NibblePath.Empty, value);
        ReadOnlySpan<byte> nibble = [(byte)only];
        return Prepend(nibble, children[only]!);
    }

    // The node reached through `prefix` nibbles, merged into a leaf or extension where canonical.
    private TrieNode Prepend(ReadOnlySpan<byte> prefix, TrieNode child)
    {
        child = Resolve(child);
        return child switch
        {
            LeafNode leaf => new LeafNode(Concat(prefix, leaf.Path.Span), leaf.Value),
            ExtensionNode extension => new ExtensionNode(Concat(prefix, extension.Path.Span), extension.Child),
            _ => new ExtensionNode(NibblePath.FromTrusted(prefix), child),
        };
    }

    private static TrieNode WithExtension(ReadOnlySpan<byte> path, TrieNode child) =>
        path.IsEmpty ? child : new ExtensionNode(NibblePath.FromTrusted(path), child);

    private static NibblePath Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        Span<byte> joined = a.Length + b.Length <= 512 ? stackalloc byte[a.Length + b.Length] : new byte[a.Length + b.Length];
        a.CopyTo(joined);
        b.CopyTo(joined[a.Length..]);
        return NibblePath.FromTrusted(joined);
    }

    private void CommitNode(TrieNode node, bool isRoot)
    {
        if (node.IsPersisted) return;
        switch (node)
        {
            case ExtensionNode extension:
                CommitNode(extension.Child, false);
                break;
            case BranchNode branch:
                foreach (TrieNode? child in branch.Children)
                {
                    if (child is not null) CommitNode(child, false);
                }
                break;
        }
        if (isRoot || !node.IsInline) _store.Put(node.Hash, node.Rlp);
        node.IsPersisted = true;
    }

    // In-order walk. `bound` (nibbles) prunes subtrees wholly before it (ascending) or after it (descending).
    private IEnumerable<TrieEntry> Walk(TrieNode node, byte[] prefix, byte[]? bound, bool descending)
    {
        if (bound is not null && IsOutside(prefix, bound, descending)) yield break;
        node = Resolve(node);
        switch (node)
        {
            case LeafNode leaf:
            {
                byte[] full = [.. prefix, .. leaf.Path.Span];
                if (full.Length % 2 == 0) yield return new TrieEntry(NibblePath.FromNibbles(full).ToBytes(), leaf.Value);
                break;
            }
            case ExtensionNode extension:
                foreach (TrieEntry entry in Walk(extension.Child, [.. prefix, .. extension.Path.Span], bound, descending)) yield return entry;
                break;
            case BranchNode branch:
            {
                bool valueHere = branch.Value is not null && prefix.Length % 2 == 0;
                if (valueHere && !descending) yield return new TrieEntry(NibblePath.FromNibbles(prefix).ToBytes(), branch.Value!);
                for (int step = 0; step < 16; step++)
                {
                    int i = descending ? 15 - step : step;
                    if (branch.Children[i] is not { } child) continue;
                    foreach (TrieEntry entry in Walk(child, [.. prefix, (byte)i], bound, descending)) yield return entry;
                }
                if (valueHere && descending) yield return new TrieEntry(NibblePath.FromNibbles(prefix).ToBytes(), branch.Value!);
                break;
            }
        }
    }

    // True when every key under `prefix` sorts before `bound` (ascending) or after it (descending).
    private static bool IsOutside(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> bound, bool descending)
    {
        int length = Math.Min(prefix.Length, bound.Length);
        int order = prefix[..length].SequenceCompareTo(bound[..length]);
        return descending ? order > 0 : order < 0;
    }
}
