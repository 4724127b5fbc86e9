using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Trie.Nodes;
using Mgr.Trie.Primitives;
using Mgr.Trie.Proofs;
using Mgr.Trie.Tries;

namespace Mgr.Node.Swarm;

/// <summary>Computes the <see cref="ChunkDiff"/> of a chunk between two epochs the server holds
/// (spec/mgr-protocol.md §4.7) by reading the chunk's leaves under both roots and merging them: every key whose leaf
/// differs appears once, deletions with an empty value; changed accounts carry their complete inline storage when it
/// changed. No per-block diff log is needed because both roots stay readable in the hash-keyed node store.</summary>
public static class ChunkDiffProducer
{
    /// <summary>The response to <paramref name="request"/>: a ChunkDiff, or Unavailable (unknown epoch, too large).</summary>
    public static IResponse Serve(ServingView view, GetChunkDiff request)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(request);
        ChunkProducer? from = Find(view, request.FromEpochHash, request.FromRoot);
        ChunkProducer? to = Find(view, request.ToEpochHash, request.ToRoot);
        if (from is null || to is null) return new Unavailable(request.RequestId, UnavailableReason.DiffWindowPassed);
        try
        {
            ChunkDiff? diff = request.Chunk.Account is { } account
                ? StorageDiff(from, to, request, account)
                : AccountDiff(from, to, request);
            if (diff is null) return new Unavailable(request.RequestId, UnavailableReason.UnknownEpoch);
            return diff.EncodedLength() > Limits.MaxStateDataBytes ? new Unavailable(request.RequestId, UnavailableReason.TooLarge) : diff;
        }
        catch (TrieException)
        {
            return new Unavailable(request.RequestId, UnavailableReason.UnknownEpoch);
        }
    }

    private static ChunkProducer? Find(ServingView view, Hash256 epochHash, Hash256 root) =>
        view.Epochs.FirstOrDefault(p => p.Anchor.BoundaryHash == epochHash && p.Anchor.StateRoot == root);

    private static ChunkDiff AccountDiff(ChunkProducer from, ChunkProducer to, GetChunkDiff request)
    {
        IReadOnlyList<TrieLeaf> before = SubtreeProof.Create(from.Nodes, from.Anchor.StateRoot, request.Chunk.Prefix).Leaves;
        ProvenSubtree after = SubtreeProof.Create(to.Nodes, to.Anchor.StateRoot, request.Chunk.Prefix);
        var changes = new List<AccountEntry>();
        foreach ((TrieLeaf? old, TrieLeaf? now) in Merge(before, after.Leaves))
        {
            if (now is not { } leaf)
            {
                changes.Add(new AccountEntry(old!.Value.Key, ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<SlotEntry>.Empty));
                continue;
            }
            Hash256 newStorage = AccountValue.Read(leaf.Value.Span).StorageRoot;
            bool storageChanged = old is not { } previous || AccountValue.Read(previous.Value.Span).StorageRoot != newStorage;
            ReadOnlyMemory<SlotEntry> storage = storageChanged ? to.InlineStorage(leaf) : ReadOnlyMemory<SlotEntry>.Empty;
            changes.Add(new AccountEntry(leaf.Key, leaf.Value, storage));
        }
        return new ChunkDiff(request.RequestId, request.Chunk, from.Anchor.StateRoot, to.Anchor.StateRoot, changes, [],
                             [.. after.Proof.Select(static node => (ReadOnlyMemory<byte>)node)]);
    }

    private static ChunkDiff? StorageDiff(ChunkProducer from, ChunkProducer to, GetChunkDiff request, Hash256 account)
    {
        if (!to.Index.TryGetExternal(account, out ExternalStorage? storage) || storage is null) return null;
        Hash256 oldStorageRoot = StorageRootOf(from, account);
        IReadOnlyList<TrieLeaf> before = oldStorageRoot == Hash256.EmptyTrieRoot
            ? []
            : SubtreeProof.Create(from.Nodes, oldStorageRoot, request.Chunk.Prefix).Leaves;
        ProvenSubtree after = SubtreeProof.Create(to.Nodes, storage.StorageRoot, request.Chunk.Prefix);
        var changes = new List<SlotEntry>();
        foreach ((TrieLeaf? old, TrieLeaf? now) in Merge(before, after.Leaves))
            changes.Add(now is { } leaf ? new SlotEntry(leaf.Key, leaf.Value) : new SlotEntry(old!.Value.Key, ReadOnlyMemory<byte>.Empty));
        IReadOnlyList<byte[]> accountProof = MerkleProof.Create(to.Nodes, to.Anchor.StateRoot, account.ToArray());
        ReadOnlyMemory<byte>[] proof = [.. accountProof.Select(static node => (ReadOnlyMemory<byte>)node), .. after.Proof.Select(static node => (ReadOnlyMemory<byte>)node)];
        return new ChunkDiff(request.RequestId, request.Chunk, from.Anchor.StateRoot, to.Anchor.StateRoot, [], changes, proof);
    }

    private static Hash256 StorageRootOf(ChunkProducer producer, Hash256 account)
    {
        byte[]? value = new PatriciaTrie(producer.Nodes, producer.Anchor.StateRoot).Get(account.ToArray());
        return value is null ? Hash256.EmptyTrieRoot : AccountValue.Read(value).StorageRoot;
    }

    // Pairs of (old, new) leaves whose values differ, in key order; null on the side where the key is absent.
    private static IEnumerable<(TrieLeaf? Old, TrieLeaf? New)> Merge(IReadOnlyList<TrieLeaf> before, IReadOnlyList<TrieLeaf> after)
    {
        int i = 0, j = 0;
        while (i < before.Count || j < after.Count)
        {
            int order = i == before.Count ? 1 : j == after.Count ? -1 : before[i].Key.CompareTo(after[j].Key);
            if (order < 0) yield return (before[i++], null);
            else if (order > 0) yield return (null, after[j++]);
            else
            {
                TrieLeaf old = before[i++], now = after[j++];
                if (!old.Value.Span.SequenceEqual(now.Value.Span)) yield return (old, now);
            }
        }
    }
}
