using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;
using Mgr.Trie.Proofs;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Node.Swarm;

/// <summary>Builds the StateData of any chunk of one epoch from hash-keyed trie nodes (spec/mgr-protocol.md §4.6):
/// account chunks with inline storage for accounts of at most 256 slots, storage chunks with the account's proof
/// followed by the storage trie's. A pure function of (nodes, epoch, chunk id).</summary>
/// <remarks>Not thread-safe only in the sense that <paramref name="nodes"/> must be; holds no mutable state.</remarks>
public sealed class ChunkProducer(INodeStore nodes, EpochAnchor anchor, EpochIndex index)
{
    /// <summary>The epoch served.</summary>
    public EpochAnchor Anchor => anchor;

    /// <summary>The epoch's index (depth, external storage).</summary>
    public EpochIndex Index => index;

    /// <summary>The node store the chunks are read from.</summary>
    public INodeStore Nodes => nodes;

    /// <summary>The StateData of <paramref name="chunk"/> with <paramref name="requestId"/>, or null when its payload
    /// would exceed <see cref="Limits.MaxStateDataBytes"/> (the caller asks for the children instead) or when it
    /// names the storage of an account without external storage here.</summary>
    /// <exception cref="Mgr.Trie.Nodes.TrieException">The state is not fully present in the node store.</exception>
    public StateData? TryProduce(ChunkId chunk, ulong requestId = 0)
    {
        StateData data;
        if (chunk.Account is { } account)
        {
            if (!index.TryGetExternal(account, out ExternalStorage? storage) || storage is null) return null;
            IReadOnlyList<byte[]> accountProof = MerkleProof.Create(nodes, anchor.StateRoot, account.ToArray());
            ProvenSubtree subtree = SubtreeProof.Create(nodes, storage.StorageRoot, chunk.Prefix);
            SlotEntry[] slots = [.. subtree.Leaves.Select(static leaf => new SlotEntry(leaf.Key, leaf.Value))];
            ReadOnlyMemory<byte>[] proof = [.. accountProof.Select(static node => (ReadOnlyMemory<byte>)node), .. subtree.Proof.Select(static node => (ReadOnlyMemory<byte>)node)];
            data = new StateData(requestId, anchor.BoundaryHash, anchor.StateRoot, chunk, [], slots, proof);
        }
        else
        {
            ProvenSubtree subtree = SubtreeProof.Create(nodes, anchor.StateRoot, chunk.Prefix);
            var accounts = new AccountEntry[subtree.Leaves.Count];
            for (int i = 0; i < accounts.Length; i++)
            {
                TrieLeaf leaf = subtree.Leaves[i];
                accounts[i] = new AccountEntry(leaf.Key, leaf.Value, InlineStorage(leaf));
            }
            data = new StateData(requestId, anchor.BoundaryHash, anchor.StateRoot, chunk, accounts, [],
                                 [.. subtree.Proof.Select(static node => (ReadOnlyMemory<byte>)node)]);
        }
        return data.EncodedLength() > Limits.MaxStateDataBytes ? null : data;
    }

    /// <summary>The StateData covering <paramref name="chunk"/>: the chunk itself, or its children (recursively)
    /// when it is too large (§5.2). Empty for a storage chunk of an account without external storage.</summary>
    public IEnumerable<StateData> ProduceSplit(ChunkId chunk)
    {
        if (TryProduce(chunk) is { } data)
        {
            yield return data;
            yield break;
        }
        if (chunk.IsStorage && !index.TryGetExternal(chunk.Account!.Value, out _)) yield break;
        foreach (ChunkId child in chunk.Children())
        foreach (StateData part in ProduceSplit(child))
            yield return part;
    }

    internal ReadOnlyMemory<SlotEntry> InlineStorage(TrieLeaf leaf)
    {
        Hash256 storageRoot = AccountValue.Read(leaf.Value.Span).StorageRoot;
        if (storageRoot == Hash256.EmptyTrieRoot || index.TryGetExternal(leaf.Key, out _)) return ReadOnlyMemory<SlotEntry>.Empty;
        return new PatriciaTrie(nodes, storageRoot).Enumerate().Select(static entry => new SlotEntry(new Hash256(entry.Key), entry.Value)).ToArray();
    }
}
