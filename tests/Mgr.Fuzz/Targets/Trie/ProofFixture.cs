using Mgr.Fuzz.Engine;
using Mgr.Trie.Nibbles;
using Mgr.Trie.Primitives;
using Mgr.Trie.Proofs;
using Mgr.Trie.Rlp;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Fuzz.Targets.Trie;

/// <summary>A fixed trie of 32-byte keys (random keys plus clusters sharing long prefixes, so it has extension nodes)
/// that proof seeds are cut from, and the ground truth the proof oracles compare accepted proofs against.
/// Also the envelope the proof targets read their arguments from: one RLP list, so RLP-aware mutations reach inside.</summary>
internal sealed class ProofFixture
{
    private static readonly Lazy<ProofFixture> LazyInstance = new(() => new ProofFixture());

    private ProofFixture()
    {
        var random = new Random(20261121);
        var leaves = new SortedDictionary<Hash256, byte[]>();
        for (int i = 0; i < 96; i++)
        {
            var key = new byte[32];
            random.NextBytes(key);
            if (i % 8 == 0) key.AsSpan(0, 12).Fill(0x5a); // a cluster under one long shared prefix
            var value = new byte[1 + random.Next(40)];
            random.NextBytes(value);
            leaves[new Hash256(key)] = value;
        }
        Store = new MemoryNodeStore();
        var trie = new PatriciaTrie(Store);
        foreach ((Hash256 key, byte[] value) in leaves) trie.Set(key.ToArray(), value);
        Root = trie.Commit();
        Trie = trie;
        Leaves = [.. leaves.Select(entry => new TrieLeaf(entry.Key, entry.Value))];
    }

    public static ProofFixture Instance => LazyInstance.Value;

    public MemoryNodeStore Store { get; }

    public PatriciaTrie Trie { get; }

    public Hash256 Root { get; }

    /// <summary>Every leaf, in key order.</summary>
    public IReadOnlyList<TrieLeaf> Leaves { get; }

    public IEnumerable<byte[]> AllNodes => Leaves.SelectMany(leaf => MerkleProof.Create(Store, Root, leaf.Key.ToArray())).DistinctBy(Convert.ToHexString);

    public static RlpTree Bytes(ReadOnlySpan<byte> value) => RlpTree.String(value.ToArray());

    public static RlpTree Nodes(IEnumerable<byte[]> nodes) => RlpTree.List([.. nodes.Select(node => RlpTree.String(node))]);

    public static RlpTree LeafList(IEnumerable<TrieLeaf> leaves) =>
        RlpTree.List([.. leaves.Select(leaf => RlpTree.List(RlpTree.String(leaf.Key.ToArray()), RlpTree.String(leaf.Value.ToArray())))]);

    public static NibblePath Prefix(ReadOnlySpan<byte> nibbles) => NibblePath.FromNibbles(nibbles);

    /// <summary>Reads a list of byte strings (proof nodes).</summary>
    public static List<byte[]> ReadNodes(ref RlpReader envelope)
    {
        RlpReader list = envelope.ReadList();
        var nodes = new List<byte[]>();
        while (!list.IsEnd) nodes.Add(list.ReadBytes().ToArray());
        return nodes;
    }

    /// <summary>Reads a list of [key, value] pairs.</summary>
    public static List<TrieLeaf> ReadLeaves(ref RlpReader envelope)
    {
        RlpReader list = envelope.ReadList();
        var leaves = new List<TrieLeaf>();
        while (!list.IsEnd)
        {
            RlpReader pair = list.ReadList();
            Hash256 key = pair.ReadHash();
            byte[] value = pair.ReadBytes().ToArray();
            pair.EnsureEnd();
            leaves.Add(new TrieLeaf(key, value));
        }
        return leaves;
    }

    /// <summary>The fixture's leaves with keys in [from, to] (inclusive), in order.</summary>
    public IEnumerable<TrieLeaf> Between(Hash256 from, Hash256 to) => Leaves.Where(leaf => leaf.Key >= from && leaf.Key <= to);
}
