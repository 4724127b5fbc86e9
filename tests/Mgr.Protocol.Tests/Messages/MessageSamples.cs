using Mgr.Protocol.Chunking;
using Mgr.Protocol.Epochs;
using Mgr.Protocol.ForkIds;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Tests.Messages;

/// <summary>Deterministic sample messages: the golden vectors are these, encoded.</summary>
internal static class MessageSamples
{
    public static Hash256 H(string label) => Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes(label));

    public static byte[] Hex(string hex) => Convert.FromHexString(hex);

    /// <summary>rlp([nonce, balance, storageRoot, codeHash]).</summary>
    public static byte[] AccountValue(ulong nonce, ulong balance, Hash256 storageRoot, Hash256 codeHash)
    {
        int content = Rlp.LengthOf(nonce) + Rlp.LengthOf(balance) + 66;
        var bytes = new byte[Rlp.LengthOfList(content)];
        var writer = new RlpWriter(bytes);
        writer.WriteListHeader(content);
        writer.Write(nonce);
        writer.Write(balance);
        writer.Write(storageRoot);
        writer.Write(codeHash);
        return bytes;
    }

    /// <summary>The trie value of a storage word: the RLP string of its trimmed bytes.</summary>
    public static byte[] SlotValue(ulong word)
    {
        var bytes = new byte[Rlp.LengthOf(word)];
        new RlpWriter(bytes).Write(word);
        return bytes;
    }

    public static readonly Epoch SampleEpoch = new(12, H("boundary-12"), H("root-12"), 2);

    public static readonly ChunkId AccountChunk = ChunkId.ForAccountKey(Hash256.Parse("0x5a00000000000000000000000000000000000000000000000000000000000000"), 2);

    public static readonly ChunkId StorageChunk = ChunkId.ForStorageKey(H("contract"), Hash256.Parse("0x7000000000000000000000000000000000000000000000000000000000000000"), 1);

    public static Hash256 KeyIn(ChunkId chunk, byte low) => new(chunk.Path.Word(0) | ((ulong)low << 40), 1, 2, low);

    public static AccountEntry[] Accounts()
    {
        var slots = new[]
        {
            new SlotEntry(Hash256.Parse("0x0100000000000000000000000000000000000000000000000000000000000000"), SlotValue(1)),
            new SlotEntry(Hash256.Parse("0xf000000000000000000000000000000000000000000000000000000000000000"), SlotValue(0x1234)),
        };
        return
        [
            new AccountEntry(KeyIn(AccountChunk, 1), AccountValue(0, 1_000_000_000_000_000_000, Hash256.EmptyTrieRoot, Hash256.EmptyKeccak), ReadOnlyMemory<SlotEntry>.Empty),
            new AccountEntry(KeyIn(AccountChunk, 2), AccountValue(7, 5, H("inline-storage-root"), H("code")), slots),
            new AccountEntry(KeyIn(AccountChunk, 3), AccountValue(1, 0, H("external-storage-root"), H("code")), ReadOnlyMemory<SlotEntry>.Empty),
        ];
    }

    public static SlotEntry[] Slots() =>
    [
        new(KeyIn(StorageChunk, 1), SlotValue(42)),
        new(KeyIn(StorageChunk, 9), SlotValue(ulong.MaxValue)),
    ];

    public static ReadOnlyMemory<byte>[] ProofNodes() => [Hex("f8518080a0" + new string('1', 64) + "80808080808080a0" + new string('2', 64) + "8080808080808080"), Hex("e21aa0" + new string('3', 64))];

    public static KeyRangeSet Ranges() => KeyRangeSet.From([AccountChunk.Range, ChunkId.ForAccountKey(Hash256.Parse("0x8000000000000000000000000000000000000000000000000000000000000000"), 1).Range]);

    /// <summary>Every message kind with one or more named samples.</summary>
    public static IEnumerable<(string Name, IMessage Message)> All()
    {
        var forkId = new ForkId(0xfc64ec04, 1_150_000);
        yield return ("status-seeder", new Status(1, 1337, H("genesis"), forkId, new BlockRef(H("head"), 1000), new BlockRef(H("finalized"), 968), Role.Seeder, SampleEpoch, KeyRangeSet.Full, []));
        yield return ("status-leecher", new Status(1, 1337, H("genesis"), forkId, new BlockRef(H("head"), 1000), new BlockRef(H("finalized"), 968), Role.Leecher, SampleEpoch, Ranges(),
            [new StorageHave(H("contract"), KeyRangeSet.Of(StorageChunk.Range))]));
        yield return ("status-no-epoch", new Status(1, 1, H("genesis"), new ForkId(0, 0), new BlockRef(H("genesis"), 0), new BlockRef(H("genesis"), 0), Role.Leecher, null, KeyRangeSet.Empty, []));
        yield return ("disconnect", new Disconnect(DisconnectReason.IncompatibleFork));
        yield return ("haves", new Haves(SampleEpoch.BoundaryHash, Ranges(), [new StorageHave(H("contract"), KeyRangeSet.Of(StorageChunk.Range))]));
        yield return ("unavailable", new Unavailable(9, UnavailableReason.DiffWindowPassed));
        yield return ("get-state-data", new GetStateData(7, SampleEpoch.BoundaryHash, SampleEpoch.StateRoot, AccountChunk));
        yield return ("state-data-accounts", new StateData(7, SampleEpoch.BoundaryHash, SampleEpoch.StateRoot, AccountChunk, Accounts(), [], ProofNodes()));
        yield return ("state-data-storage-push", new StateData(0, SampleEpoch.BoundaryHash, SampleEpoch.StateRoot, StorageChunk, [], Slots(), ProofNodes()));
        yield return ("state-data-empty-chunk", new StateData(3, SampleEpoch.BoundaryHash, SampleEpoch.StateRoot, AccountChunk, [], [], ProofNodes()));
        yield return ("get-chunk-diff", new GetChunkDiff(11, AccountChunk, H("boundary-11"), H("root-11"), SampleEpoch.BoundaryHash, SampleEpoch.StateRoot));
        AccountEntry[] accounts = Accounts();
        yield return ("chunk-diff-accounts", new ChunkDiff(11, AccountChunk, H("root-11"), SampleEpoch.StateRoot,
            [accounts[0], new AccountEntry(accounts[2].AccountHash, ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<SlotEntry>.Empty)], [], ProofNodes()));
        yield return ("chunk-diff-storage", new ChunkDiff(12, StorageChunk, H("root-11"), SampleEpoch.StateRoot, [],
            [Slots()[0], new SlotEntry(Slots()[1].SlotHash, ReadOnlyMemory<byte>.Empty)], ProofNodes()));
        yield return ("get-trie-nodes", new GetTrieNodes(5, SampleEpoch.StateRoot,
            [new TrieNodePathSet(Hex("00"), []), new TrieNodePathSet(Hex("1a"), []),
             new TrieNodePathSet(Hex("00" + new string('4', 64)), [Hex("12"), Hex("0034")])], 512 * 1024));
        yield return ("trie-nodes", new TrieNodes(5, ProofNodes()));
        yield return ("get-block-headers-by-hash", new GetBlockHeaders(21, H("finalized"), 0, 192, 0, true));
        yield return ("get-block-headers-by-number", new GetBlockHeaders(22, null, 768, 4, 191, false));
        yield return ("block-headers", new BlockHeaders(21, [Hex("c783010203820405"), Hex("c0")]));
        yield return ("get-byte-codes", new GetByteCodes(31, [H("code"), Hash256.EmptyKeccak], 1 << 20));
        yield return ("byte-codes", new ByteCodes(31, [Hex("6001600155"), Hex("00")]));
        yield return ("byte-codes-push", new ByteCodes(0, [Hex("60006000f3")]));
        yield return ("get-state-diff", new GetStateDiff(41, new BlockRef(H("block-1001"), 1001)));
        yield return ("state-diff", new StateDiff(41, new BlockRef(H("block-1001"), 1001), SampleStateDiff()));
        yield return ("state-diff-empty", new StateDiff(42, new BlockRef(H("block-1002"), 1002), RlpBuild.List(RlpBuild.List(), RlpBuild.List(), RlpBuild.List())));
    }

    /// <summary>A block's diff with an account update, a deletion, storage with a set and a cleared slot, and code:
    /// <c>[[[k1, 7, 10^18, codeHash], [k2]], [[k3, [[s1, 42], [s2, 0]]]], [code]]</c>.</summary>
    public static byte[] SampleStateDiff()
    {
        byte[] code = Hex("6001600155");
        Hash256 k1 = Hash256.Parse("0x1100000000000000000000000000000000000000000000000000000000000000");
        Hash256 k2 = Hash256.Parse("0x2200000000000000000000000000000000000000000000000000000000000000");
        Hash256 k3 = Hash256.Parse("0x3300000000000000000000000000000000000000000000000000000000000000");
        return RlpBuild.List(
            RlpBuild.List(
                RlpBuild.List(RlpBuild.H(k1), RlpBuild.U(7), RlpBuild.U(1_000_000_000_000_000_000), RlpBuild.H(Keccak256.Compute(code))),
                RlpBuild.List(RlpBuild.H(k2))),
            RlpBuild.List(RlpBuild.List(RlpBuild.H(k3), RlpBuild.List(
                RlpBuild.List(RlpBuild.H(Hash256.Parse("0x0100000000000000000000000000000000000000000000000000000000000000")), RlpBuild.U(42)),
                RlpBuild.List(RlpBuild.H(Hash256.Parse("0xf000000000000000000000000000000000000000000000000000000000000000")), RlpBuild.U(0))))),
            RlpBuild.List(RlpBuild.Str(code)));
    }
}
