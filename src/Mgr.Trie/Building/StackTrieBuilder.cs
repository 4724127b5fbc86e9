using Mgr.Trie.Crypto;
using Mgr.Trie.Nibbles;
using Mgr.Trie.Primitives;
using Mgr.Trie.Storage;

namespace Mgr.Trie.Building;

/// <summary>Computes a trie root from leaves given in strictly increasing key order, holding only the open
/// path (memory O(key length)) and handing every finished hashed node to an optional
/// <see cref="INodeSink"/> as it goes.</summary>
/// <remarks>
/// Keys may be of any length (plain tries) but must increase strictly; values must be non-empty. A bad
/// leaf throws <see cref="TrieBuildException"/> and is not added; the leaves before it stay in place.
/// All buffers are reused: after warm-up, adding a leaf allocates nothing. Spans passed in are copied.
/// Not thread-safe; reusable after <see cref="Finish"/> or <see cref="Reset"/>.
/// </remarks>
public sealed class StackTrieBuilder
{
    private const int ReferenceLength = 33; // 0xa0 followed by a 32-byte hash
    private static readonly byte[] EmptySlot = [Rlp.Rlp.EmptyString];

    private readonly INodeSink? _sink;
    private Frame[] _frames = [];
    private int _frameCount;

    // The last item added, not yet placed: its nibbles and its value (or, for a subtree, its reference).
    private byte[] _pendingPath = new byte[64];
    private int _pendingLength;
    private byte[] _pendingValue = new byte[128];
    private int _pendingValueLength;
    private bool _pendingIsSubtree;
    private bool _hasPending;

    private byte[] _incomingPath = new byte[64];
    private byte[] _scratch = new byte[1024];
    private byte[] _hexPrefix = new byte[40];

    /// <summary>A builder that only computes the root (<paramref name="sink"/> null) or also emits nodes.</summary>
    public StackTrieBuilder(INodeSink? sink = null) => _sink = sink;

    /// <summary>Leaves added since the last <see cref="Reset"/>.</summary>
    public long LeafCount { get; private set; }

    /// <summary>Keccak-f[1600] permutations spent hashing nodes since the last reset (one per started 136-byte block).</summary>
    public long KeccakPermutations { get; private set; }

    /// <summary>Nodes hashed (and emitted to the sink, when there is one) since the last reset.</summary>
    public long HashedNodes { get; private set; }

    /// <summary>Adds a leaf with a 32-byte key.</summary>
    /// <exception cref="TrieBuildException">When the key does not increase or the value is empty.</exception>
    public void Add(Hash256 key, ReadOnlySpan<byte> value)
    {
        Span<byte> bytes = stackalloc byte[Hash256.Length];
        key.CopyTo(bytes);
        Add(bytes, value);
    }

    /// <summary>Adds a leaf.</summary>
    /// <exception cref="TrieBuildException">When the key does not increase or the value is empty.</exception>
    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        EnsureCapacity(ref _incomingPath, key.Length * 2);
        NibblePath.Expand(key, _incomingPath);
        Push(key.Length * 2, value, isSubtree: false);
    }

    /// <summary>Adds a leaf whose key is given as nibbles (one per byte).</summary>
    internal void AddNibbles(ReadOnlySpan<byte> nibbles, ReadOnlySpan<byte> value)
    {
        EnsureCapacity(ref _incomingPath, nibbles.Length);
        nibbles.CopyTo(_incomingPath);
        Push(nibbles.Length, value, isSubtree: false);
    }

    /// <summary>Adds a finished subtree at <paramref name="path"/>, given as the reference its parent holds
    /// (its RLP when shorter than 32 bytes, else 0xa0 and its hash). Used to rebuild a root around proven parts.</summary>
    internal void AddSubtree(ReadOnlySpan<byte> path, ReadOnlySpan<byte> reference)
    {
        EnsureCapacity(ref _incomingPath, path.Length);
        path.CopyTo(_incomingPath);
        Push(path.Length, reference, isSubtree: true);
    }

    /// <summary>The root of everything added (the empty-trie root when nothing was), emitted to the sink;
    /// then clears the leaves for the next trie (the counters keep running until <see cref="Reset"/>).</summary>
    public Hash256 Finish()
    {
        Span<byte> reference = stackalloc byte[ReferenceLength];
        FinishReference(reference, asRoot: true);
        return new Hash256(reference[1..]);
    }

    /// <summary>Finishes and writes the top node's reference: as a parent would hold it, or (asRoot) always
    /// hashed. Returns its length; 0 when nothing was added. Clears the leaves.</summary>
    internal int FinishReference(Span<byte> destination, bool asRoot)
    {
        try
        {
            if (!_hasPending)
            {
                if (!asRoot) return 0;
                destination[0] = 0x80 + 32;
                Hash256.EmptyTrieRoot.CopyTo(destination[1..]);
                return ReferenceLength;
            }
            if (_frameCount == 0) return PlacePending(0, destination, asRoot);
            PlacePendingIntoTop();
            Span<byte> reference = stackalloc byte[ReferenceLength];
            while (true)
            {
                Frame frame = _frames[--_frameCount];
                int parentDepth = _frameCount > 0 ? _frames[_frameCount - 1].Depth : -1;
                bool isTop = _frameCount == 0;
                int length = CloseFrame(frame, parentDepth + 1, isTop ? destination : reference, isTop && asRoot);
                if (isTop) return length;
                Frame parent = _frames[_frameCount - 1];
                parent.SetChild(_pendingPath[parent.Depth], reference[..length]);
            }
        }
        finally
        {
            Clear();
        }
    }

    /// <summary>Forgets everything added and zeroes the counters.</summary>
    public void Reset()
    {
        Clear();
        LeafCount = 0;
        KeccakPermutations = 0;
        HashedNodes = 0;
    }

    private void Clear()
    {
        _frameCount = 0;
        _hasPending = false;
        _pendingLength = 0;
    }

    private void Push(int length, ReadOnlySpan<byte> value, bool isSubtree)
    {
        if (value.IsEmpty) throw new TrieBuildException(TrieBuildError.EmptyValue, LeafCount);
        ReadOnlySpan<byte> key = _incomingPath.AsSpan(0, length);
        if (_hasPending)
        {
            ReadOnlySpan<byte> previous = _pendingPath.AsSpan(0, _pendingLength);
            int common = previous.CommonPrefixLength(key);
            if (common == key.Length)
                throw new TrieBuildException(common == previous.Length ? TrieBuildError.DuplicateKey : TrieBuildError.KeyNotIncreasing, LeafCount);
            if (common < previous.Length && key[common] < previous[common]) throw new TrieBuildException(TrieBuildError.KeyNotIncreasing, LeafCount);
            if (_pendingIsSubtree && common == previous.Length) throw new TrieBuildException(TrieBuildError.KeyNotIncreasing, LeafCount);

            if (_frameCount == 0 || _frames[_frameCount - 1].Depth < common) PushFrame(common);
            PlacePendingIntoTop();
            Span<byte> reference = stackalloc byte[ReferenceLength];
            while (_frames[_frameCount - 1].Depth > common)
            {
                Frame frame = _frames[--_frameCount];
                int parentDepth = _frameCount > 0 && _frames[_frameCount - 1].Depth >= common ? _frames[_frameCount - 1].Depth : common;
                int referenceLength = CloseFrame(frame, parentDepth + 1, reference, asRoot: false);
                if (_frameCount == 0 || _frames[_frameCount - 1].Depth < common) PushFrame(common);
                Frame parent = _frames[_frameCount - 1];
                parent.SetChild(_pendingPath[parent.Depth], reference[..referenceLength]);
            }
        }
        (_pendingPath, _incomingPath) = (_incomingPath, _pendingPath);
        _pendingLength = length;
        EnsureCapacity(ref _pendingValue, value.Length);
        value.CopyTo(_pendingValue);
        _pendingValueLength = value.Length;
        _pendingIsSubtree = isSubtree;
        _hasPending = true;
        LeafCount++;
    }

    private void PushFrame(int depth)
    {
        if (_frameCount == _frames.Length)
        {
            Array.Resize(ref _frames, Math.Max(8, _frames.Length * 2));
            for (int i = _frameCount; i < _frames.Length; i++) _frames[i] = new Frame();
        }
        _frames[_frameCount++].Open(depth);
    }

    // Hangs the pending item from the deepest open branch: as its value when the key ends there, else as a child.
    private void PlacePendingIntoTop()
    {
        Frame top = _frames[_frameCount - 1];
        if (_pendingLength == top.Depth)
        {
            top.SetValue(_pendingValue.AsSpan(0, _pendingValueLength));
            return;
        }
        Span<byte> reference = stackalloc byte[ReferenceLength];
        int length = PlacePending(top.Depth + 1, reference, asRoot: false);
        top.SetChild(_pendingPath[top.Depth], reference[..length]);
    }

    // Encodes the pending item as a node whose path starts at nibble `from`, writing its reference.
    private int PlacePending(int from, Span<byte> destination, bool asRoot)
    {
        ReadOnlySpan<byte> path = _pendingPath.AsSpan(from, _pendingLength - from);
        ReadOnlySpan<byte> value = _pendingValue.AsSpan(0, _pendingValueLength);
        if (!_pendingIsSubtree) return EncodeLeaf(path, value, destination, asRoot);
        if (!path.IsEmpty) return EncodeExtension(path, value, destination, asRoot);
        if (!asRoot || value.Length == ReferenceLength)
        {
            value.CopyTo(destination);
            return value.Length;
        }
        return Finalize(value, destination, asRoot: true);
    }

    // Encodes a finished branch, wrapped in an extension for the nibbles from `from` up to its depth.
    private int CloseFrame(Frame frame, int from, Span<byte> destination, bool asRoot)
    {
        int extensionLength = frame.Depth - from;
        Span<byte> branchReference = stackalloc byte[ReferenceLength];
        int length = EncodeBranch(frame, extensionLength == 0 ? destination : branchReference, asRoot && extensionLength == 0);
        if (extensionLength == 0) return length;
        return EncodeExtension(_pendingPath.AsSpan(from, extensionLength), branchReference[..length], destination, asRoot);
    }

    private int EncodeLeaf(ReadOnlySpan<byte> path, ReadOnlySpan<byte> value, Span<byte> destination, bool asRoot)
    {
        ReadOnlySpan<byte> hexPrefix = HexPrefixOf(path, isLeaf: true);
        int content = Rlp.Rlp.LengthOf(hexPrefix) + Rlp.Rlp.LengthOf(value);
        int total = Rlp.Rlp.LengthOfList(content);
        EnsureCapacity(ref _scratch, total);
        var writer = new Rlp.RlpWriter(_scratch.AsSpan(0, total));
        writer.WriteListHeader(content);
        writer.WriteBytes(hexPrefix);
        writer.WriteBytes(value);
        return Finalize(_scratch.AsSpan(0, total), destination, asRoot);
    }

    private int EncodeExtension(ReadOnlySpan<byte> path, ReadOnlySpan<byte> childReference, Span<byte> destination, bool asRoot)
    {
        ReadOnlySpan<byte> hexPrefix = HexPrefixOf(path, isLeaf: false);
        int content = Rlp.Rlp.LengthOf(hexPrefix) + childReference.Length;
        int total = Rlp.Rlp.LengthOfList(content);
        EnsureCapacity(ref _scratch, total);
        var writer = new Rlp.RlpWriter(_scratch.AsSpan(0, total));
        writer.WriteListHeader(content);
        writer.WriteBytes(hexPrefix);
        writer.WriteEncoded(childReference);
        return Finalize(_scratch.AsSpan(0, total), destination, asRoot);
    }

    private ReadOnlySpan<byte> HexPrefixOf(ReadOnlySpan<byte> path, bool isLeaf)
    {
        EnsureCapacity(ref _hexPrefix, HexPrefix.EncodedLength(path.Length));
        int length = HexPrefix.Encode(path, isLeaf, _hexPrefix);
        return _hexPrefix.AsSpan(0, length);
    }

    private int EncodeBranch(Frame frame, Span<byte> destination, bool asRoot)
    {
        ReadOnlySpan<byte> value = frame.Value;
        int content = value.IsEmpty ? 1 : Rlp.Rlp.LengthOf(value);
        for (int i = 0; i < 16; i++) content += Math.Max(1, (int)frame.ChildLengths[i]);
        int total = Rlp.Rlp.LengthOfList(content);
        EnsureCapacity(ref _scratch, total);
        var writer = new Rlp.RlpWriter(_scratch.AsSpan(0, total));
        writer.WriteListHeader(content);
        for (int i = 0; i < 16; i++)
        {
            int length = frame.ChildLengths[i];
            if (length == 0) writer.WriteEncoded(EmptySlot);
            else writer.WriteEncoded(frame.Children.AsSpan(i * ReferenceLength, length));
        }
        writer.WriteBytes(value);
        return Finalize(_scratch.AsSpan(0, total), destination, asRoot);
    }

    // A node's reference: its RLP when short and not the root, else 0xa0 + Keccak(RLP), which is also emitted.
    private int Finalize(ReadOnlySpan<byte> rlp, Span<byte> destination, bool asRoot)
    {
        if (rlp.Length < 32 && !asRoot)
        {
            rlp.CopyTo(destination);
            return rlp.Length;
        }
        destination[0] = 0x80 + 32;
        Span<byte> hash = destination.Slice(1, Hash256.Length);
        Keccak256.Hash(rlp, hash);
        KeccakPermutations += rlp.Length / Keccak256.RateBytes + 1;
        HashedNodes++;
        _sink?.Put(new Hash256(hash), rlp);
        return ReferenceLength;
    }

    private static void EnsureCapacity(ref byte[] buffer, int length)
    {
        if (buffer.Length < length) Array.Resize(ref buffer, Math.Max(length, buffer.Length * 2));
    }

    // An open branch at nibble depth Depth: the references of the children placed so far and its value.
    private sealed class Frame
    {
        private byte[] _value = [];
        private int _valueLength;

        public int Depth { get; private set; }
        public byte[] Children { get; } = new byte[16 * ReferenceLength];
        public byte[] ChildLengths { get; } = new byte[16];
        public ReadOnlySpan<byte> Value => _value.AsSpan(0, _valueLength);

        public void Open(int depth)
        {
            Depth = depth;
            Array.Clear(ChildLengths);
            _valueLength = 0;
        }

        public void SetChild(int nibble, ReadOnlySpan<byte> reference)
        {
            reference.CopyTo(Children.AsSpan(nibble * ReferenceLength));
            ChildLengths[nibble] = (byte)reference.Length;
        }

        public void SetValue(ReadOnlySpan<byte> value)
        {
            EnsureCapacity(ref _value, value.Length);
            value.CopyTo(_value);
            _valueLength = value.Length;
        }
    }
}
