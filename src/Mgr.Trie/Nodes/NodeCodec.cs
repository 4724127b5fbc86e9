using Mgr.Trie.Nibbles;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Trie.Nodes;

/// <summary>Encodes and decodes trie nodes as RLP: a leaf or extension is <c>[hexPrefix(path), value|child]</c>,
/// a branch is <c>[child0 … child15, value]</c>; a child is its RLP when shorter than 32 bytes, else its hash.</summary>
/// <remarks>Decoding is strict: anything that is not a canonical node of a valid trie ends in a
/// <see cref="TrieException"/> with <see cref="TrieError.MalformedNode"/>, never in another exception.</remarks>
public static class NodeCodec
{
    /// <summary>The RLP of <paramref name="node"/> (allocates a new array).</summary>
    public static byte[] Encode(TrieNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        switch (node)
        {
            case LeafNode leaf:
            {
                int pathLength = Rlp.Rlp.LengthOf(HexPrefixBytes(leaf.Path, true));
                int content = pathLength + Rlp.Rlp.LengthOf(leaf.Value);
                var output = new byte[Rlp.Rlp.LengthOfList(content)];
                var writer = new RlpWriter(output);
                writer.WriteListHeader(content);
                writer.WriteBytes(HexPrefixBytes(leaf.Path, true));
                writer.WriteBytes(leaf.Value);
                return output;
            }
            case ExtensionNode extension:
            {
                byte[] path = HexPrefixBytes(extension.Path, false);
                int content = Rlp.Rlp.LengthOf(path) + ReferenceLength(extension.Child);
                var output = new byte[Rlp.Rlp.LengthOfList(content)];
                var writer = new RlpWriter(output);
                writer.WriteListHeader(content);
                writer.WriteBytes(path);
                WriteReference(ref writer, extension.Child);
                return output;
            }
            case BranchNode branch:
            {
                int content = branch.Value is null ? 1 : Rlp.Rlp.LengthOf(branch.Value);
                foreach (TrieNode? child in branch.Children) content += ReferenceLength(child);
                var output = new byte[Rlp.Rlp.LengthOfList(content)];
                var writer = new RlpWriter(output);
                writer.WriteListHeader(content);
                foreach (TrieNode? child in branch.Children) WriteReference(ref writer, child);
                writer.WriteBytes(branch.Value ?? []);
                return output;
            }
            default:
                throw new InvalidOperationException("A hash reference has no RLP of its own; load the node first.");
        }
    }

    /// <summary>Decodes one node. <paramref name="hash"/>, when given, is recorded as the node's hash
    /// (the caller has checked it).</summary>
    /// <exception cref="TrieException">With <see cref="TrieError.MalformedNode"/> for anything but a valid node.</exception>
    public static TrieNode Decode(ReadOnlySpan<byte> rlp, Hash256? hash = null)
    {
        try
        {
            TrieNode node = DecodeItem(rlp, depth: 0);
            node.SetDecoded(rlp.ToArray(), hash);
            return node;
        }
        catch (RlpException e)
        {
            throw TrieException.Malformed($"bad RLP ({e.Reason} at {e.Position})", e);
        }
    }

    private static TrieNode DecodeItem(ReadOnlySpan<byte> rlp, int depth)
    {
        var outer = new RlpReader(rlp);
        RlpReader items = outer.ReadList();
        outer.EnsureEnd();
        int count = 0;
        var probe = items;
        while (!probe.IsEnd)
        {
            probe.Skip();
            if (++count > 17) break;
        }
        if (count == 2)
        {
            if (!HexPrefix.TryDecode(items.ReadBytes(), out NibblePath path, out bool isLeaf)) throw TrieException.Malformed("bad hex-prefix path");
            if (isLeaf)
            {
                ReadOnlySpan<byte> value = items.ReadBytes();
                if (value.IsEmpty) throw TrieException.Malformed("leaf with an empty value");
                return new LeafNode(path, value.ToArray());
            }
            if (path.Length == 0) throw TrieException.Malformed("extension with an empty path");
            TrieNode? child = ReadReference(ref items, depth) ?? throw TrieException.Malformed("extension without a child");
            return new ExtensionNode(path, child);
        }
        if (count == 17)
        {
            var children = new TrieNode?[16];
            for (int i = 0; i < 16; i++) children[i] = ReadReference(ref items, depth);
            ReadOnlySpan<byte> value = items.ReadBytes();
            return new BranchNode(children, value.IsEmpty ? null : value.ToArray());
        }
        throw TrieException.Malformed($"a node has 2 or 17 items, not {count}");
    }

    // A child slot: empty string (none), a 32-byte hash, or an embedded node shorter than 32 bytes.
    private static TrieNode? ReadReference(ref RlpReader items, int depth)
    {
        if (items.PeekIsList)
        {
            ReadOnlySpan<byte> embedded = items.ReadEncodedItem();
            if (embedded.Length >= 32) throw TrieException.Malformed("embedded child of 32 bytes or more");
            if (depth >= 64) throw TrieException.Malformed("embedded children nested too deep");
            TrieNode child = DecodeItem(embedded, depth + 1);
            child.SetDecoded(embedded.ToArray(), null);
            return child;
        }
        ReadOnlySpan<byte> bytes = items.ReadBytes();
        if (bytes.IsEmpty) return null;
        if (bytes.Length != Hash256.Length) throw TrieException.Malformed($"child reference of {bytes.Length} bytes");
        return new HashReferenceNode(new Hash256(bytes));
    }

    private static int ReferenceLength(TrieNode? child) => child switch
    {
        null => 1,
        { IsInline: true } => child.Rlp.Length,
        _ => 33,
    };

    private static void WriteReference(ref RlpWriter writer, TrieNode? child)
    {
        if (child is null) writer.WriteBytes([]);
        else if (child.IsInline) writer.WriteEncoded(child.Rlp);
        else writer.Write(child.Hash);
    }

    private static byte[] HexPrefixBytes(NibblePath path, bool isLeaf)
    {
        var bytes = new byte[HexPrefix.EncodedLength(path.Length)];
        HexPrefix.Encode(path.Span, isLeaf, bytes);
        return bytes;
    }
}
