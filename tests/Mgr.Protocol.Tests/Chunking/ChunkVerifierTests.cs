using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.Proofs;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;
using static Mgr.Protocol.Tests.Messages.MessageSamples;

namespace Mgr.Protocol.Tests.Chunking;

public sealed class ChunkVerifierTests
{
    private static Hash256 Key(int i) => Keccak256.Compute(BitConverter.GetBytes(i));

    // 200 plain accounts, one contract with 3 inline slots, one with 600 external slots.
    private sealed class State
    {
        public MemoryNodeStore Store { get; } = new();
        public Hash256 Root { get; }
        public Hash256 InlineContract { get; } = H("inline-contract");
        public Hash256 ExternalContract { get; } = H("external-contract");
        public Hash256 ExternalStorageRoot { get; }
        public SlotEntry[] InlineSlots { get; }

        public State()
        {
            InlineSlots = [.. Enumerable.Range(0, 3).Select(i => new SlotEntry(Key(5000 + i), SlotValue((ulong)i + 9))).OrderBy(slot => slot.SlotHash)];
            var inline = new PatriciaTrie(Store);
            foreach (SlotEntry slot in InlineSlots) inline.Set(slot.SlotHash.ToArray(), slot.Value.Span);
            Hash256 inlineRoot = inline.Commit();
            var external = new PatriciaTrie(Store);
            for (int i = 0; i < 600; i++) external.Set(Key(9000 + i).ToArray(), SlotValue((ulong)i + 1));
            ExternalStorageRoot = external.Commit();
            var state = new PatriciaTrie(Store);
            for (int i = 0; i < 200; i++) state.Set(Key(i).ToArray(), AccountValue((ulong)i, 1, Hash256.EmptyTrieRoot, Hash256.EmptyKeccak));
            state.Set(InlineContract.ToArray(), AccountValue(1, 0, inlineRoot, H("code")));
            state.Set(ExternalContract.ToArray(), AccountValue(1, 0, ExternalStorageRoot, H("code")));
            Root = state.Commit();
        }

        public StateData AccountChunk(ChunkId chunk)
        {
            ProvenSubtree subtree = SubtreeProof.Create(Store, Root, chunk.Prefix);
            AccountEntry[] accounts = [.. subtree.Leaves.Select(leaf => new AccountEntry(leaf.Key, leaf.Value,
                leaf.Key == InlineContract ? InlineSlots : ReadOnlyMemory<SlotEntry>.Empty))];
            return new StateData(0, H("epoch"), Root, chunk, accounts, [], [.. subtree.Proof.Select(node => (ReadOnlyMemory<byte>)node)]);
        }

        public StateData StorageChunk(ChunkId chunk)
        {
            ProvenSubtree subtree = SubtreeProof.Create(Store, ExternalStorageRoot, chunk.Prefix);
            IEnumerable<byte[]> proof = MerkleProof.Create(Store, Root, ExternalContract.ToArray()).Concat(subtree.Proof);
            SlotEntry[] slots = [.. subtree.Leaves.Select(leaf => new SlotEntry(leaf.Key, leaf.Value))];
            return new StateData(0, H("epoch"), Root, chunk, [], slots, [.. proof.Select(node => (ReadOnlyMemory<byte>)node)]);
        }
    }

    private static StateData OverTheWire(StateData data)
    {
        var payload = new byte[data.EncodedLength()];
        data.WriteTo(payload);
        return StateData.Decode(payload);
    }

    [Fact]
    public void Every_account_chunk_of_a_state_verifies_with_its_inline_storage()
    {
        var state = new State();
        var partition = new KeyspacePartition(1);
        int accounts = 0;

        for (ulong index = 0; index < partition.ChunkCount; index++)
        {
            ChunkCheck check = ChunkVerifier.Verify(OverTheWire(state.AccountChunk(partition.ChunkAt(index))), state.Root);

            Assert.True(check.IsValid, $"{check.Fault} {check.ProofError}");
            accounts += check.Leaves.Count;
        }

        Assert.Equal(202, accounts);
    }

    [Fact]
    public void Every_storage_chunk_verifies_through_its_account_proof()
    {
        var state = new State();
        var partition = new KeyspacePartition(1, state.ExternalContract);
        int slots = 0;

        for (ulong index = 0; index < partition.ChunkCount; index++)
        {
            ChunkCheck check = ChunkVerifier.Verify(OverTheWire(state.StorageChunk(partition.ChunkAt(index))), state.Root);

            Assert.True(check.IsValid, $"{check.Fault} {check.ProofError}");
            slots += check.Leaves.Count;
        }

        Assert.Equal(600, slots);
    }

    [Fact]
    public void Rejects_a_chunk_for_another_root()
    {
        var state = new State();

        ChunkCheck check = ChunkVerifier.Verify(state.AccountChunk(new KeyspacePartition(1).ChunkAt(3)), H("another-root"));

        Assert.Equal(ChunkFault.WrongRoot, check.Fault);
    }

    [Fact]
    public void Rejects_a_chunk_missing_one_account()
    {
        var state = new State();
        StateData data = state.AccountChunk(new KeyspacePartition(1).ChunkAt(7));

        ChunkCheck check = ChunkVerifier.Verify(data with { Accounts = [.. data.Accounts.Skip(1)] }, state.Root);

        Assert.Equal(ChunkFault.SubtreeMismatch, check.Fault);
        Assert.Equal(SubtreeProofError.SubtreeMismatch, check.ProofError);
    }

    [Fact]
    public void Rejects_tampered_inline_storage()
    {
        var state = new State();
        ChunkId chunk = ChunkId.ForAccountKey(state.InlineContract, 1);
        StateData data = state.AccountChunk(chunk);
        AccountEntry[] accounts = [.. data.Accounts.Select(entry => entry.Storage.IsEmpty ? entry
            : entry with { Storage = new[] { entry.Storage.Span[0] with { Value = SlotValue(12345) } }.Concat(entry.Storage.ToArray().Skip(1)).ToArray() })];

        ChunkCheck check = ChunkVerifier.Verify(data with { Accounts = accounts }, state.Root);

        Assert.Equal(ChunkFault.InlineStorageMismatch, check.Fault);
    }

    [Fact]
    public void Rejects_a_storage_chunk_whose_account_is_not_proven()
    {
        var state = new State();
        StateData data = state.StorageChunk(ChunkId.ForStorageKey(state.ExternalContract, Key(9000), 1));

        ChunkCheck check = ChunkVerifier.Verify(data with { Chunk = ChunkId.ForStorageKey(H("nobody"), Key(9000), 1) }, state.Root);

        Assert.Equal(ChunkFault.AccountNotProven, check.Fault);
    }
}
