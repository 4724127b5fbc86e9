using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.Proofs;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;
using static Mgr.Protocol.Tests.Messages.MessageSamples;

namespace Mgr.Protocol.Tests.Chunking;

public sealed class ChunkRollForwardTests
{
    private static Hash256 Key(int i) => Keccak256.Compute(BitConverter.GetBytes(i));

    private static byte[] Account(int i, ulong balance) => AccountValue((ulong)i, balance, Hash256.EmptyTrieRoot, Hash256.EmptyKeccak);

    // Epoch A: accounts 0..299. Epoch B: five balances changed, two accounts deleted, four added.
    private sealed class TwoEpochs
    {
        public MemoryNodeStore Store { get; } = new();
        public Hash256 RootA { get; }
        public Hash256 RootB { get; }

        public TwoEpochs()
        {
            var trie = new PatriciaTrie(Store);
            for (int i = 0; i < 300; i++) trie.Set(Key(i).ToArray(), Account(i, (ulong)i * 1000));
            RootA = trie.Commit();
            foreach (int i in new[] { 3, 50, 77, 120, 250 }) trie.Set(Key(i).ToArray(), Account(i, (ulong)i * 1000 + 1));
            foreach (int i in new[] { 10, 200 }) trie.Delete(Key(i).ToArray());
            for (int i = 300; i < 304; i++) trie.Set(Key(i).ToArray(), Account(i, 7));
            RootB = trie.Commit();
        }

        public IReadOnlyList<TrieLeaf> Leaves(Hash256 root, ChunkId chunk) => SubtreeProof.Create(Store, root, chunk.Prefix).Leaves;

        // The honest diff for a chunk: every key whose leaf differs between the epochs, empty value for deletions.
        public ChunkDiff Diff(ChunkId chunk)
        {
            var before = Leaves(RootA, chunk).ToDictionary(leaf => leaf.Key, leaf => leaf.Value.ToArray());
            var after = Leaves(RootB, chunk).ToDictionary(leaf => leaf.Key, leaf => leaf.Value.ToArray());
            AccountEntry[] changes = [.. before.Keys.Union(after.Keys).Order()
                .Where(key => !before.TryGetValue(key, out byte[]? old) || !after.TryGetValue(key, out byte[]? now) || !old.AsSpan().SequenceEqual(now))
                .Select(key => new AccountEntry(key, after.TryGetValue(key, out byte[]? value) ? value : ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<SlotEntry>.Empty))];
            IReadOnlyList<byte[]> proof = SubtreeProof.Create(Store, RootB, chunk.Prefix).Proof;
            return new ChunkDiff(1, chunk, RootA, RootB, changes, [], [.. proof.Select(node => (ReadOnlyMemory<byte>)node)]);
        }
    }

    private static ChunkDiff OverTheWire(ChunkDiff diff)
    {
        var payload = new byte[diff.EncodedLength()];
        diff.WriteTo(payload);
        return ChunkDiff.Decode(payload);
    }

    [Fact]
    public void An_honest_diff_rolls_every_chunk_to_the_new_root()
    {
        var epochs = new TwoEpochs();
        var partition = new KeyspacePartition(1);
        int changed = 0;

        for (ulong index = 0; index < partition.ChunkCount; index++)
        {
            ChunkId chunk = partition.ChunkAt(index);
            ChunkDiff diff = OverTheWire(epochs.Diff(chunk));

            ChunkCheck result = ChunkRollForward.Verify(diff, epochs.Leaves(epochs.RootA, chunk));

            Assert.True(result.IsValid, $"chunk {chunk}: {result.Fault} {result.ProofError}");
            Assert.Equal(epochs.Leaves(epochs.RootB, chunk).Select(leaf => (leaf.Key, Convert.ToHexString(leaf.Value.Span))),
                         result.Leaves.Select(leaf => (leaf.Key, Convert.ToHexString(leaf.Value.Span))));
            changed += diff.Accounts.Count;
        }

        Assert.Equal(11, changed);
    }

    private static (TwoEpochs Epochs, ChunkId Chunk, ChunkDiff Diff) ChunkWithChanges()
    {
        var epochs = new TwoEpochs();
        var partition = new KeyspacePartition(1);
        for (ulong index = 0; ; index++)
        {
            ChunkDiff diff = epochs.Diff(partition.ChunkAt(index));
            if (diff.Accounts.Count >= 1) return (epochs, partition.ChunkAt(index), diff);
        }
    }

    [Fact]
    public void A_diff_that_leaves_out_a_change_is_rejected()
    {
        (TwoEpochs epochs, ChunkId chunk, ChunkDiff diff) = ChunkWithChanges();
        ChunkDiff incomplete = diff with { Accounts = [.. diff.Accounts.Skip(1)] };

        ChunkCheck result = ChunkRollForward.Verify(OverTheWire(incomplete), epochs.Leaves(epochs.RootA, chunk));

        Assert.False(result.IsValid);
        Assert.Equal(ChunkFault.SubtreeMismatch, result.Fault);
        Assert.Equal(SubtreeProofError.SubtreeMismatch, result.ProofError);
    }

    [Fact]
    public void A_diff_with_an_altered_value_is_rejected()
    {
        (TwoEpochs epochs, ChunkId chunk, ChunkDiff diff) = ChunkWithChanges();
        AccountEntry first = diff.Accounts[0];
        ChunkDiff altered = diff with { Accounts = [first with { Value = Account(999, 1) }, .. diff.Accounts.Skip(1)] };

        ChunkCheck result = ChunkRollForward.Verify(OverTheWire(altered), epochs.Leaves(epochs.RootA, chunk));

        Assert.Equal(ChunkFault.SubtreeMismatch, result.Fault);
        Assert.Equal(SubtreeProofError.SubtreeMismatch, result.ProofError);
    }

    [Fact]
    public void A_diff_that_invents_a_deletion_is_rejected()
    {
        (TwoEpochs epochs, ChunkId chunk, ChunkDiff diff) = ChunkWithChanges();
        IReadOnlyList<TrieLeaf> held = epochs.Leaves(epochs.RootA, chunk);
        TrieLeaf untouched = held.First(leaf => diff.Accounts.All(change => change.AccountHash != leaf.Key));
        AccountEntry[] changes = [.. diff.Accounts.Append(new AccountEntry(untouched.Key, ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<SlotEntry>.Empty)).OrderBy(change => change.AccountHash)];

        ChunkCheck result = ChunkRollForward.Verify(OverTheWire(diff with { Accounts = changes }), held);

        Assert.Equal(ChunkFault.SubtreeMismatch, result.Fault);
        Assert.Equal(SubtreeProofError.SubtreeMismatch, result.ProofError);
    }

    [Fact]
    public void Rejects_inline_storage_that_does_not_rebuild_the_account_storage_root()
    {
        (TwoEpochs epochs, ChunkId chunk, ChunkDiff diff) = ChunkWithChanges();
        AccountEntry first = diff.Accounts[0];
        var slots = new[] { new SlotEntry(Key(1), SlotValue(5)) };
        AccountEntry withStorage = first with { Value = AccountValue(1, 1, H("claimed-storage-root"), Hash256.EmptyKeccak), Storage = slots };

        ChunkCheck result = ChunkRollForward.Verify(diff with { Accounts = [withStorage, .. diff.Accounts.Skip(1)] }, epochs.Leaves(epochs.RootA, chunk));

        Assert.Equal(ChunkFault.InlineStorageMismatch, result.Fault);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Rolls_a_storage_chunk_proven_through_its_account()
    {
        var store = new MemoryNodeStore();
        var storage = new PatriciaTrie(store);
        for (int i = 0; i < 400; i++) storage.Set(Key(1000 + i).ToArray(), SlotValue((ulong)i + 1));
        Hash256 storageA = storage.Commit();
        foreach (int i in new[] { 5, 6, 300 }) storage.Set(Key(1000 + i).ToArray(), SlotValue(77));
        storage.Delete(Key(1001).ToArray());
        Hash256 storageB = storage.Commit();
        Hash256 contract = H("contract");
        var state = new PatriciaTrie(store);
        for (int i = 0; i < 50; i++) state.Set(Key(i).ToArray(), Account(i, 1));
        state.Set(contract.ToArray(), AccountValue(1, 0, storageB, H("code")));
        Hash256 stateRoot = state.Commit();
        ChunkId chunk = ChunkId.ForStorageKey(contract, Key(1005), 1);

        var before = SubtreeProof.Create(store, storageA, chunk.Prefix).Leaves.ToDictionary(leaf => leaf.Key, leaf => leaf.Value.ToArray());
        var after = SubtreeProof.Create(store, storageB, chunk.Prefix).Leaves.ToDictionary(leaf => leaf.Key, leaf => leaf.Value.ToArray());
        SlotEntry[] changes = [.. before.Keys.Union(after.Keys).Order()
            .Where(key => !before.TryGetValue(key, out byte[]? old) || !after.TryGetValue(key, out byte[]? now) || !old.AsSpan().SequenceEqual(now))
            .Select(key => new SlotEntry(key, after.TryGetValue(key, out byte[]? value) ? value : ReadOnlyMemory<byte>.Empty))];
        ReadOnlyMemory<byte>[] proof = [.. MerkleProof.Create(store, stateRoot, contract.ToArray()).Concat(SubtreeProof.Create(store, storageB, chunk.Prefix).Proof).Select(node => (ReadOnlyMemory<byte>)node)];
        var diff = OverTheWire(new ChunkDiff(2, chunk, H("old-state-root"), stateRoot, [], changes, proof));
        IReadOnlyList<TrieLeaf> held = SubtreeProof.Create(store, storageA, chunk.Prefix).Leaves;

        ChunkCheck result = ChunkRollForward.Verify(diff, held);
        ChunkCheck wrongAccount = ChunkRollForward.Verify(diff with { Chunk = ChunkId.ForStorageKey(H("other"), Key(1005), 1) }, held);

        Assert.True(changes.Length >= 1);
        Assert.True(result.IsValid, result.ProofError.ToString());
        Assert.Equal(after.Count, result.Leaves.Count);
        Assert.Equal(ChunkFault.AccountNotProven, wrongAccount.Fault);
    }

    [Fact]
    public void Apply_sets_replaces_and_deletes_in_key_order()
    {
        TrieLeaf[] held = [new(new Hash256(0, 0, 0, 1), new byte[] { 1 }), new(new Hash256(0, 0, 0, 3), new byte[] { 3 })];
        TrieLeaf[] changes = [new(new Hash256(0, 0, 0, 2), new byte[] { 2 }), new(new Hash256(0, 0, 0, 3), ReadOnlyMemory<byte>.Empty), new(new Hash256(0, 0, 0, 4), new byte[] { 4 })];

        TrieLeaf[] result = ChunkRollForward.Apply(held, changes);

        Assert.Equal([1UL, 2, 4], result.Select(leaf => leaf.Key.Word(3)));
    }
}
