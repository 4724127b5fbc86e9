using Mgr.Node.Follow;
using Mgr.Node.State;
using Mgr.Node.Storage;
using Mgr.Trie.Headers;

namespace Mgr.Node.Devnet;

/// <summary>Keeps a node's own store in step with a devnet, as a benevolent full node would by executing blocks: the
/// genesis state is regenerated from the devnet's parameters (deterministic, bounded memory), then every block of the
/// chain log is applied with <see cref="StateApplier"/>, its state root verified against its header, and its header
/// stored as canonical. <see cref="FollowAsync"/> then tails the log while the producer appends to it.</summary>
/// <remarks>The store must be this follower's own (RocksDB allows one process per store); on restart the follower
/// resumes from the store's head, checking that the log holds the same block there. Not thread-safe.</remarks>
public sealed class DevnetFollower : IDisposable
{
    private readonly ChainLogReader _log;

    private DevnetFollower(IKeyValueStore store, ChainLogReader log, BlockHeader head)
    {
        Store = store;
        _log = log;
        Head = head;
    }

    public IKeyValueStore Store { get; }

    /// <summary>The latest block applied to <see cref="Store"/>.</summary>
    public BlockHeader Head { get; private set; }

    /// <summary>Opens the devnet at <paramref name="devnet"/> for following into <paramref name="store"/>, creating the
    /// genesis state there first if the store is empty.</summary>
    /// <exception cref="DevnetException">When the devnet directory is incomplete or the store holds another chain.</exception>
    public static DevnetFollower Open(DevnetDirectory devnet, IKeyValueStore store, string temporaryDirectory)
    {
        ArgumentNullException.ThrowIfNull(devnet);
        ArgumentNullException.ThrowIfNull(store);
        DevnetParameters parameters = DevnetParameters.Load(devnet.ParametersPath);
        BlockHeader head = HeaderStore.TryReadCanonical(store, 0, out _)
            ? StateHistory.ReadStateHeader(store) ?? StoredChain.ReadHead(store)
            : DevnetGenesis.Create(parameters, store, temporaryDirectory, genesisJson: null);
        if (!File.Exists(devnet.ChainLogPath)) throw new DevnetException($"The devnet has no chain log at {devnet.ChainLogPath}.");
        return new DevnetFollower(store, ChainLogReader.OpenFile(devnet.ChainLogPath), head);
    }

    /// <summary>Applies every complete block the log holds beyond <see cref="Head"/>; returns how many.</summary>
    /// <exception cref="DevnetException">When the log disagrees with the store (another chain).</exception>
    /// <exception cref="StateApplyException">When a block's diff does not lead to its header's state root.</exception>
    public int CatchUp()
    {
        int applied = 0;
        while (_log.TryRead(out DevnetBlock? block) == ChainLogReadResult.Block)
        {
            BlockHeader header = block!.Header;
            if (header.Number <= Head.Number)
            {
                if (header.Number == Head.Number && header.Hash != Head.Hash)
                    throw new DevnetException($"The chain log's block {header.Number} is {header.Hash}, the store's is {Head.Hash}: they follow different chains.");
                continue;
            }
            ApplyBlock(Store, Head, block);
            Head = header;
            applied++;
        }
        return applied;
    }

    /// <summary>Tails the chain log until cancelled, applying new blocks as they appear.</summary>
    public async Task FollowAsync(TimeSpan pollInterval, Action<BlockHeader>? onBlock = null, CancellationToken cancellation = default)
    {
        while (!cancellation.IsCancellationRequested)
        {
            ulong before = Head.Number;
            CatchUp();
            if (Head.Number != before) onBlock?.Invoke(Head);
            try
            {
                await Task.Delay(pollInterval, cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Applies <paramref name="block"/> (the child of <paramref name="parent"/>) to <paramref name="store"/>: state
    /// diff with its root verified against the header, header and canonical hash, and the block's
    /// <see cref="StateHistory"/> (forward and backward diff, state-block marker), all in one batch.</summary>
    /// <exception cref="DevnetException">When the block does not extend <paramref name="parent"/>.</exception>
    /// <exception cref="StateApplyException">When the diff is refused; nothing is written.</exception>
    public static void ApplyBlock(IKeyValueStore store, BlockHeader parent, DevnetBlock block)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(block);
        BlockHeader header = block.Header;
        if (header.Number != parent.Number + 1 || header.ParentHash != parent.Hash)
            throw new DevnetException($"Block {header.Number} ({header.Hash}) does not extend block {parent.Number} ({parent.Hash}).");
        StateApplier.Apply(store, parent.StateRoot, block.Diff, header.StateRoot, batch =>
        {
            StoredChain.WriteCanonicalHeader(batch, header);
            StateHistory.Record(store, batch, header, block.Diff);
        });
    }

    public void Dispose() => _log.Dispose();
}
