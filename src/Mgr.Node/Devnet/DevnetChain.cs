using Mgr.Node.Follow;
using Mgr.Node.State;
using Mgr.Node.Storage;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Devnet;

/// <summary>A devnet chain in a store: creates the genesis (state, header, canonical entry) and then produces block
/// after block, each applied to the store (flat state, trie nodes, header, canonical hash) in one batch. This is the
/// in-process API that tests, the generator, the producer and <c>mgr demo</c> share.</summary>
/// <remarks>
/// <para>Blocks are well-formed post-merge (Cancun) headers: empty transactions, receipts and withdrawals, empty bloom,
/// difficulty 0, gas used 0, nonce 0, timestamps one slot apart, prevRandao and parentBeaconBlockRoot derived from the
/// seed, the EIP-1559 base fee of an empty parent, and the real state root after the block's diff.</para>
/// <para>The store belongs to this object while it produces (single writer); other readers may read it. Not thread-safe.</para>
/// </remarks>
public sealed class DevnetChain
{
    private readonly DevnetBlockGenerator _generator;

    private DevnetChain(IKeyValueStore store, DevnetParameters parameters, BlockHeader genesis, BlockHeader head)
    {
        Store = store;
        Parameters = parameters;
        Keys = new DevnetKeys(parameters);
        _generator = new DevnetBlockGenerator(Keys);
        Genesis = genesis;
        Head = head;
    }

    public IKeyValueStore Store { get; }

    public DevnetParameters Parameters { get; }

    public DevnetKeys Keys { get; }

    public BlockHeader Genesis { get; }

    /// <summary>The latest block in the store (the one whose state it holds).</summary>
    public BlockHeader Head { get; private set; }

    /// <summary>Creates the genesis in an empty <paramref name="store"/> (writing <c>genesis.json</c> to
    /// <paramref name="genesisJson"/> when given). <paramref name="temporaryDirectory"/> holds the bulk import's runs.</summary>
    public static DevnetChain Create(IKeyValueStore store, DevnetParameters parameters, string temporaryDirectory, Stream? genesisJson = null,
        long etlBufferBytes = 64L << 20)
    {
        BlockHeader genesis = DevnetGenesis.Create(parameters, store, temporaryDirectory, genesisJson, etlBufferBytes);
        return new DevnetChain(store, parameters, genesis, genesis);
    }

    /// <summary>Opens a store that already holds this devnet (its canonical chain from genesis to a head).</summary>
    /// <exception cref="DevnetException">When the store holds no genesis or a broken canonical chain.</exception>
    public static DevnetChain Open(IKeyValueStore store, DevnetParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(parameters);
        BlockHeader genesis = StoredChain.ReadCanonical(store, 0) ?? throw new DevnetException("The store holds no genesis block.");
        BlockHeader head = StateHistory.ReadStateHeader(store) ?? StoredChain.ReadHead(store);
        return new DevnetChain(store, parameters, genesis, head);
    }

    /// <summary>Generates the next block, applies it to the store and returns it.</summary>
    /// <param name="timestamp">The wall-clock time for the block (it gets at least the parent's plus one second); without
    /// it, the parent's timestamp plus the slot time (deterministic generation).</param>
    /// <param name="beforeCommit">Called with the finished block before the store commits it (the producer appends it to
    /// the chain log there, so the log is never behind the store); if it throws, nothing is stored.</param>
    public DevnetBlock ProduceNext(ulong? timestamp = null, Action<DevnetBlock>? beforeCommit = null)
    {
        BlockHeader parent = Head;
        ulong number = parent.Number + 1;
        StateDiff diff = _generator.Generate(Store, number);
        using IWriteBatch batch = Store.BeginBatch();
        Hash256 root = StateApplier.Compute(Store, batch, parent.StateRoot, diff);
        // Generation spaces blocks by the slot time; real-time production only needs strictly increasing timestamps.
        ulong time = timestamp is { } wall ? Math.Max(parent.Timestamp + 1, wall) : parent.Timestamp + Parameters.SecondsPerBlock;
        BlockHeader header = BuildHeader(parent, root, time);
        StoredChain.WriteCanonicalHeader(batch, header);
        StateHistory.Record(Store, batch, header, diff);
        var block = new DevnetBlock(header, diff);
        beforeCommit?.Invoke(block);
        batch.Commit();
        Head = header;
        return block;
    }

    /// <summary>Produces <paramref name="count"/> blocks, yielding each after it is stored.</summary>
    public IEnumerable<DevnetBlock> Produce(int count)
    {
        for (int i = 0; i < count; i++) yield return ProduceNext();
    }

    /// <summary>The header of the block after <paramref name="parent"/> with state root <paramref name="stateRoot"/>.</summary>
    public BlockHeader BuildHeader(BlockHeader parent, Hash256 stateRoot, ulong timestamp)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ulong number = parent.Number + 1;
        return new BlockHeader
        {
            ParentHash = parent.Hash,
            Coinbase = Keys.FeeRecipient,
            StateRoot = stateRoot,
            Difficulty = UInt256.Zero,
            Number = number,
            GasLimit = Parameters.GasLimit,
            GasUsed = 0,
            Timestamp = timestamp,
            ExtraData = DevnetGenesis.ExtraData,
            MixHash = Keys.PrevRandao(number),
            Nonce = 0,
            BaseFeePerGas = NextBaseFee(parent),
            WithdrawalsRoot = Hash256.EmptyTrieRoot,
            BlobGasUsed = 0,
            ExcessBlobGas = 0,
            ParentBeaconBlockRoot = Keys.ParentBeaconBlockRoot(number),
        };
    }

    /// <summary>EIP-1559 base fee after <paramref name="parent"/> (which used less gas than its target when empty).</summary>
    public static UInt256 NextBaseFee(BlockHeader parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        UInt256 parentFee = parent.BaseFeePerGas ?? DevnetGenesis.GenesisBaseFee;
        ulong target = parent.GasLimit / 2;
        if (parent.GasUsed == target || target == 0) return parentFee;
        // Fees are far below 2^64 on a devnet (they only fall from 1 gwei with empty blocks).
        ulong fee = parentFee.ToUInt64();
        if (parent.GasUsed > target)
        {
            ulong up = Math.Max(1, (ulong)((UInt128)fee * (parent.GasUsed - target) / target / 8));
            return new UInt256(fee + up);
        }
        ulong down = (ulong)((UInt128)fee * (target - parent.GasUsed) / target / 8);
        return new UInt256(fee - down);
    }
}
