using Mgr.Trie.Nibbles;
using Mgr.Trie.Nodes;
using Mgr.Trie.Primitives;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Trie.Enumeration;

/// <summary>Yields the leaves of a trie with 32-byte keys in key order from any start key, wrapping past
/// 0xff… to 0x00… for ever (the merry-go-round); <see cref="Position"/> saves where to resume.</summary>
/// <remarks>
/// Reads nodes from the <see cref="INodeStore"/> as it goes and keeps only the open path (≤ 65 frames).
/// A missing or malformed node, or a trie whose keys are not 32 bytes, ends in <see cref="TrieException"/>.
/// Not thread-safe. Values point into decoded nodes and stay valid after the cursor moves on.
/// </remarks>
public sealed class LeafCursor
{
    private const int KeyNibbles = 2 * Hash256.Length;

    private readonly INodeStore _store;
    private readonly TrieNode? _root;
    private readonly List<Frame> _stack = [];
    private readonly byte[] _path = new byte[KeyNibbles];
    private bool _positioned;

    /// <summary>A cursor over the trie <paramref name="root"/> starting at the first key ≥ <paramref name="start"/>.</summary>
    public LeafCursor(INodeStore store, Hash256 root, Hash256 start) : this(store, root, new LeafCursorPosition(start, 0)) { }

    /// <summary>A cursor over the trie <paramref name="root"/> resuming at <paramref name="position"/>.</summary>
    public LeafCursor(INodeStore store, Hash256 root, LeafCursorPosition position)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _root = root == Hash256.EmptyTrieRoot ? null : new HashReferenceNode(root);
        Position = position;
    }

    /// <summary>Where the next <see cref="TryNext"/> continues.</summary>
    public LeafCursorPosition Position { get; private set; }

    /// <summary>Moves to the first key ≥ <paramref name="key"/> (keeping the lap count).</summary>
    public void Seek(Hash256 key)
    {
        Position = Position with { Next = key };
        _positioned = false;
    }

    /// <summary>The next leaf in merry-go-round order; false only when the trie is empty.</summary>
    public bool TryNext(out TrieLeaf leaf)
    {
        leaf = default;
        if (_root is null) return false;
        for (int attempt = 0; attempt < 2; attempt++)
        {
            bool found = _positioned ? Advance() : Seek();
            if (found)
            {
                var top = _stack[^1];
                var leafNode = (LeafNode)top.Node;
                leafNode.Path.Span.CopyTo(_path.AsSpan(top.Depth));
                Hash256 key = KeyOfPath();
                leaf = new TrieLeaf(key, leafNode.Value);
                _positioned = true;
                if (key == Hash256.MaxValue)
                {
                    Position = new LeafCursorPosition(Hash256.Zero, Position.Laps + 1);
                    _positioned = false;
                }
                else
                {
                    Position = Position with { Next = key.Increment() };
                }
                return true;
            }
            Position = new LeafCursorPosition(Hash256.Zero, Position.Laps + 1);
            _positioned = false;
        }
        return false;
    }

    // Rebuilds the stack down to the first leaf ≥ Position.Next; false when there is none.
    private bool Seek()
    {
        Span<byte> bound = stackalloc byte[KeyNibbles];
        Span<byte> keyBytes = stackalloc byte[Hash256.Length];
        Position.Next.CopyTo(keyBytes);
        NibblePath.Expand(keyBytes, bound);
        _stack.Clear();
        _stack.Add(new Frame(Load(_root!), 0, 0));
        return Descend(bound, tight: true);
    }

    // Moves past the current leaf to the next one; false at the end of the keyspace.
    private bool Advance()
    {
        _stack.RemoveAt(_stack.Count - 1);
        return Descend([], tight: false);
    }

    // From the top of the stack, finds the leftmost leaf (≥ bound while `tight`, i.e. while the path so far
    // equals the bound's prefix), backtracking through branches as needed.
    private bool Descend(ReadOnlySpan<byte> bound, bool tight)
    {
        while (_stack.Count > 0)
        {
            Frame frame = _stack[^1];
            switch (frame.Node)
            {
                case LeafNode leaf:
                    if (frame.Depth + leaf.Path.Length != KeyNibbles) throw Shape("a leaf whose key is not 32 bytes");
                    if (!tight || leaf.Path.Span.SequenceCompareTo(bound[frame.Depth..]) >= 0) return true;
                    _stack.RemoveAt(_stack.Count - 1);
                    tight = false;
                    break;
                case ExtensionNode extension:
                {
                    int end = frame.Depth + extension.Path.Length;
                    if (end >= KeyNibbles) throw Shape("an extension reaching the end of a 32-byte key");
                    if (frame.NextChild > 0)
                    {
                        _stack.RemoveAt(_stack.Count - 1);
                        tight = false;
                        break;
                    }
                    if (tight)
                    {
                        int order = extension.Path.Span.SequenceCompareTo(bound[frame.Depth..end]);
                        if (order < 0)
                        {
                            _stack.RemoveAt(_stack.Count - 1);
                            tight = false;
                            break;
                        }
                        tight = order == 0;
                    }
                    extension.Path.Span.CopyTo(_path.AsSpan(frame.Depth));
                    _stack[^1] = frame with { NextChild = 1 };
                    _stack.Add(new Frame(Load(extension.Child), end, 0));
                    break;
                }
                default:
                {
                    var branch = (BranchNode)frame.Node;
                    if (branch.Value is not null || frame.Depth >= KeyNibbles) throw Shape("a branch value or a branch below a 32-byte key");
                    int start = frame.NextChild;
                    if (tight) start = Math.Max(start, bound[frame.Depth]);
                    int child = start;
                    while (child < 16 && branch.Children[child] is null) child++;
                    if (child == 16)
                    {
                        _stack.RemoveAt(_stack.Count - 1);
                        tight = false;
                        break;
                    }
                    if (tight && child > bound[frame.Depth]) tight = false;
                    _path[frame.Depth] = (byte)child;
                    _stack[^1] = frame with { NextChild = child + 1 };
                    _stack.Add(new Frame(Load(branch.Children[child]!), frame.Depth + 1, 0));
                    break;
                }
            }
        }
        return false;
    }

    private Hash256 KeyOfPath()
    {
        Span<byte> key = stackalloc byte[Hash256.Length];
        for (int i = 0; i < key.Length; i++) key[i] = (byte)((_path[2 * i] << 4) | _path[2 * i + 1]);
        return new Hash256(key);
    }

    private TrieNode Load(TrieNode slot)
    {
        if (slot is not HashReferenceNode reference) return slot;
        if (!_store.TryGet(reference.Hash, out ReadOnlyMemory<byte> rlp)) throw TrieException.Missing(reference.Hash);
        return NodeCodec.Decode(rlp.Span, reference.Hash);
    }

    private static TrieException Shape(string what) => new(TrieError.UnexpectedShape, null, $"Not a trie of 32-byte keys: {what}.");

    // A node on the open path, the nibble depth at which it starts, and (branches) the next child to visit.
    private readonly record struct Frame(TrieNode Node, int Depth, int NextChild);
}
