using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.Proofs;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;
using static Mgr.Protocol.Tests.Messages.MessageSamples;

namespace Mgr.Protocol.Tests.Messages;

public sealed class StateDataTests
{
    private static StateData Sample() => (StateData)MessageVectorTests.Sample("state-data-accounts");

    private static byte[] Encode(IMessage message) => MessageVectorTests.Payload(message);

    [Fact]
    public void Round_trips_accounts_with_inline_storage()
    {
        StateData data = Sample();

        StateData decoded = StateData.Decode(Encode(data));

        Assert.Equal(data.Accounts.Count, decoded.Accounts.Count);
        Assert.Equal(2, decoded.Accounts[1].Storage.Length);
        Assert.True(decoded.Accounts[1].Storage.Span[1].Value.Span.SequenceEqual(data.Accounts[1].Storage.Span[1].Value.Span));
        Assert.Equal(data.Proof.Count, decoded.Proof.Count);
    }

    [Fact]
    public void Rejects_a_key_outside_the_chunk()
    {
        AccountEntry[] accounts = Accounts();
        accounts[2] = accounts[2] with { AccountHash = Hash256.Parse("0x5b00000000000000000000000000000000000000000000000000000000000000") };
        byte[] payload = Encode(Sample() with { Accounts = accounts });

        RlpBuild.Rejects(ViolationReason.KeyOutsideChunk, () => StateData.Decode(payload));
    }

    [Fact]
    public void Rejects_accounts_out_of_key_order()
    {
        AccountEntry[] accounts = Accounts();
        (accounts[0], accounts[1]) = (accounts[1], accounts[0]);
        byte[] payload = Encode(Sample() with { Accounts = accounts });

        RlpBuild.Rejects(ViolationReason.UnsortedKeys, () => StateData.Decode(payload));
    }

    [Fact]
    public void Rejects_a_repeated_key()
    {
        AccountEntry[] accounts = Accounts();
        accounts[1] = accounts[1] with { AccountHash = accounts[0].AccountHash };
        byte[] payload = Encode(Sample() with { Accounts = accounts });

        RlpBuild.Rejects(ViolationReason.UnsortedKeys, () => StateData.Decode(payload));
    }

    [Fact]
    public void Rejects_an_empty_account_value()
    {
        AccountEntry[] accounts = Accounts();
        accounts[0] = accounts[0] with { Value = ReadOnlyMemory<byte>.Empty };
        byte[] payload = Encode(Sample() with { Accounts = accounts });

        RlpBuild.Rejects(ViolationReason.WrongType, () => StateData.Decode(payload));
    }

    [Fact]
    public void Rejects_an_account_value_with_three_fields()
    {
        AccountEntry[] accounts = Accounts();
        accounts[0] = accounts[0] with { Value = RlpBuild.List(RlpBuild.U(0), RlpBuild.U(1), RlpBuild.H(Hash256.EmptyTrieRoot)) };
        byte[] payload = Encode(Sample() with { Accounts = accounts });

        RlpBuild.Rejects(ViolationReason.Truncated, () => StateData.Decode(payload));
    }

    [Fact]
    public void Rejects_a_balance_wider_than_256_bits()
    {
        AccountEntry[] accounts = Accounts();
        accounts[0] = accounts[0] with { Value = RlpBuild.List(RlpBuild.U(0), RlpBuild.Str(Enumerable.Repeat((byte)1, 33).ToArray()), RlpBuild.H(Hash256.EmptyTrieRoot), RlpBuild.H(Hash256.EmptyKeccak)) };
        byte[] payload = Encode(Sample() with { Accounts = accounts });

        RlpBuild.Rejects(ViolationReason.WrongType, () => StateData.Decode(payload));
    }

    [Fact]
    public void Rejects_inline_storage_beyond_the_inline_limit()
    {
        AccountEntry[] accounts = Accounts();
        SlotEntry[] slots = [.. Enumerable.Range(1, Limits.InlineStorageMaxSlots + 1).Select(i => new SlotEntry(new Hash256(0, 0, 0, (ulong)i), SlotValue(1)))];
        accounts[1] = accounts[1] with { Storage = slots };
        byte[] payload = Encode(Sample() with { Accounts = accounts });

        RlpBuild.Rejects(ViolationReason.TooManyItems, () => StateData.Decode(payload));
    }

    [Fact]
    public void Rejects_inline_storage_on_an_account_whose_storage_is_empty()
    {
        AccountEntry[] accounts = Accounts();
        accounts[0] = accounts[0] with { Storage = accounts[1].Storage };
        byte[] payload = Encode(Sample() with { Accounts = accounts });

        RlpBuild.Rejects(ViolationReason.ValueOutOfRange, () => StateData.Decode(payload));
    }

    [Fact]
    public void Rejects_a_slot_value_with_a_leading_zero()
    {
        var data = (StateData)MessageVectorTests.Sample("state-data-storage-push");
        SlotEntry[] slots = Slots();
        slots[0] = slots[0] with { Value = RlpBuild.Str([0x00, 0x05]) };
        byte[] payload = Encode(data with { Slots = slots });

        RlpBuild.Rejects(ViolationReason.NonCanonical, () => StateData.Decode(payload));
    }

    [Fact]
    public void Rejects_a_proof_node_larger_than_any_trie_node()
    {
        byte[] payload = Encode(Sample() with { Proof = [new byte[Limits.MaxTrieNodeBytes + 1]] });

        RlpBuild.Rejects(ViolationReason.WrongType, () => StateData.Decode(payload));
    }

    [Fact]
    public void Rejects_more_proof_nodes_than_the_limit()
    {
        ReadOnlyMemory<byte>[] proof = [.. Enumerable.Range(0, Limits.MaxProofNodes + 1).Select(_ => (ReadOnlyMemory<byte>)new byte[] { 0xc1, 0x80 })];
        byte[] payload = Encode(Sample() with { Proof = proof });

        RlpBuild.Rejects(ViolationReason.TooManyItems, () => StateData.Decode(payload));
    }

    [Fact]
    public void Refuses_to_build_an_account_chunk_carrying_slots()
    {
        Assert.Throws<ArgumentException>(() => new StateData(1, H("e"), H("r"), AccountChunk, [], Slots(), []));
    }

    [Fact]
    public void Two_independent_builds_of_a_state_give_byte_identical_chunks_that_verify()
    {
        (MemoryNodeStore storeA, Hash256 rootA) = BuildState(ascending: true);
        (MemoryNodeStore storeB, Hash256 rootB) = BuildState(ascending: false);
        var partition = new KeyspacePartition(1);

        Assert.Equal(rootA, rootB);
        int accounts = 0;
        for (ulong index = 0; index < partition.ChunkCount; index++)
        {
            ChunkId chunk = partition.ChunkAt(index);
            byte[] first = Encode(ChunkOf(storeA, rootA, chunk)), second = Encode(ChunkOf(storeB, rootB, chunk));
            Assert.Equal(first, second);

            StateData decoded = StateData.Decode(first);
            TrieLeaf[] leaves = [.. decoded.Accounts.Select(account => new TrieLeaf(account.AccountHash, account.Value))];
            byte[][] proof = [.. decoded.Proof.Select(node => node.ToArray())];
            Assert.Equal(SubtreeProofError.None, SubtreeProof.Verify(rootA, chunk.Prefix, leaves, proof));
            Assert.Equal(SubtreeProofError.SubtreeMismatch, SubtreeProof.Verify(rootA, chunk.Prefix, leaves[1..], proof));
            accounts += leaves.Length;
        }
        Assert.Equal(300, accounts);
    }

    private static (MemoryNodeStore Store, Hash256 Root) BuildState(bool ascending)
    {
        var store = new MemoryNodeStore();
        var trie = new PatriciaTrie(store);
        IEnumerable<int> order = ascending ? Enumerable.Range(0, 300) : Enumerable.Range(0, 300).Reverse();
        foreach (int i in order)
        {
            Hash256 key = Keccak256.Compute(BitConverter.GetBytes(i));
            trie.Set(key.ToArray(), AccountValue((ulong)i, (ulong)i * 1000, Hash256.EmptyTrieRoot, Hash256.EmptyKeccak));
        }
        return (store, trie.Commit());
    }

    private static StateData ChunkOf(MemoryNodeStore store, Hash256 root, ChunkId chunk)
    {
        ProvenSubtree subtree = SubtreeProof.Create(store, root, chunk.Prefix);
        AccountEntry[] accounts = [.. subtree.Leaves.Select(leaf => new AccountEntry(leaf.Key, leaf.Value, ReadOnlyMemory<SlotEntry>.Empty))];
        return new StateData(0, H("epoch"), root, chunk, accounts, [], [.. subtree.Proof.Select(node => (ReadOnlyMemory<byte>)node)]);
    }
}
