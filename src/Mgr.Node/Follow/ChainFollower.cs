using Mgr.Node.Chain;
using Mgr.Node.Storage;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;
using Microsoft.Extensions.Logging;

namespace Mgr.Node.Follow;

/// <summary>Follow mode: keeps a synced node's state at the consensus driver's head without executing transactions.
/// For each new head it walks back over parent hashes to a block it holds (the finalized base or a layer), fetches the
/// missing blocks' state diffs through <see cref="FollowSources"/>, verifies each on top of its parent
/// (<see cref="LayerTree.TryAdd"/>) and moves the head — across branches too, with nothing fetched again for blocks it
/// has seen. On finalization it flattens the layers into the store (spec/follow.md).</summary>
/// <remarks>
/// <para>Concurrency: one loop owns the follower (<see cref="RunAsync"/>, or the caller's own loop calling
/// <see cref="HandleAsync"/>); it awaits the injected fetches, prefetching up to
/// <see cref="FollowOptions.MaxParallelFetches"/> diffs of a run of blocks and verifying them in order. Every fetch it
/// starts is awaited before a step returns. <see cref="LayerTree.TryGetLayerDiff"/> may be read from any thread.</para>
/// <para>Refused answers are reported through <see cref="FollowSources.OnRejected"/> (penalise, ask someone else) and
/// retried up to <see cref="FollowOptions.MaxFetchAttempts"/>; fetch functions should return null, not throw, when no
/// peer answers. Headers seen in payloads are remembered (at most <see cref="FollowOptions.MaxLayers"/>).</para>
/// </remarks>
public sealed partial class ChainFollower
{
    private readonly LayerTree _tree;
    private readonly IKeyValueReader _headers;
    private readonly FollowSources _sources;
    private readonly FollowOptions _options;
    private readonly ILogger? _logger;
    private readonly Dictionary<Hash256, BlockHeader> _announced = [];
    private readonly Queue<Hash256> _announcedOrder = new();

    /// <param name="tree">The layers over the node's store.</param>
    /// <param name="headers">Where stored headers are looked up by hash before asking peers (the node's store).</param>
    /// <param name="sources">The injected fetches.</param>
    /// <param name="options">The same options as <paramref name="tree"/>'s.</param>
    /// <param name="logger">Optional.</param>
    public ChainFollower(LayerTree tree, IKeyValueReader headers, FollowSources sources, FollowOptions? options = null, ILogger? logger = null)
    {
        _tree = tree ?? throw new ArgumentNullException(nameof(tree));
        _headers = headers ?? throw new ArgumentNullException(nameof(headers));
        _sources = sources ?? throw new ArgumentNullException(nameof(sources));
        _options = options ?? new FollowOptions();
        _options.Validate();
        _logger = logger;
    }

    /// <summary>The layers being followed.</summary>
    public LayerTree Layers => _tree;

    /// <summary>Calls of <see cref="FollowSources.FetchDiff"/> so far.</summary>
    public long DiffsFetched { get; private set; }

    /// <summary>Calls of <see cref="FollowSources.FetchHeader"/> so far.</summary>
    public long HeadersFetched { get; private set; }

    /// <summary>Answers refused so far.</summary>
    public long Rejections { get; private set; }

    /// <summary>Remembers a header announced by the driver (a payload), so following it needs no header fetch.</summary>
    public void OnPayload(BlockHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (!_announced.TryAdd(header.Hash, header)) return;
        _announcedOrder.Enqueue(header.Hash);
        while (_announcedOrder.Count > _options.MaxLayers) _announced.Remove(_announcedOrder.Dequeue());
    }

    /// <summary>Handles one consensus event: payloads are remembered, a forkchoice update moves the head and then
    /// finalizes, a finalized block is flattened. Returns the step's outcome, or null for events that need no step.</summary>
    public async ValueTask<FollowOutcome?> HandleAsync(ConsensusEvent consensusEvent, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(consensusEvent);
        switch (consensusEvent)
        {
            case PayloadReceived payload:
                OnPayload(payload.Header);
                return null;
            case HeadUpdated update:
                FollowOutcome moved = await UpdateHeadAsync(update.Head, cancellation).ConfigureAwait(false);
                if (update.Finalized.IsZero) return moved;
                // Finalize even when the head could not be reached: flattening frees layers (and the limit).
                FollowOutcome finalized = await FinalizeAsync(update.Finalized, cancellation).ConfigureAwait(false);
                if (moved.Status == FollowStatus.Followed && finalized.Status != FollowStatus.Followed) return finalized;
                return moved with { Head = _tree.Head, Flattened = finalized.Flattened };
            case FinalizedBlockReceived final:
                if (final.Header is { } header) OnPayload(header);
                return await FinalizeAsync(final.Hash, cancellation).ConfigureAwait(false);
            default:
                return null;
        }
    }

    /// <summary>Follows <paramref name="driver"/>'s events until it ends or <paramref name="cancellation"/> fires.</summary>
    public async Task RunAsync(IConsensusDriver driver, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(driver);
        await foreach (ConsensusEvent consensusEvent in driver.ReadEventsAsync(cancellation).ConfigureAwait(false))
        {
            await HandleAsync(consensusEvent, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>Makes <paramref name="head"/> the head: fetches and verifies whatever blocks between it and the held
    /// layers are missing, then moves the head (a reorg when it leaves its branch).</summary>
    public async ValueTask<FollowOutcome> UpdateHeadAsync(Hash256 head, CancellationToken cancellation)
    {
        FollowOutcome reached = await ReachAsync(head, cancellation).ConfigureAwait(false);
        if (reached.Status != FollowStatus.Followed) return reached;
        HeadMove move = _tree.SetHead(head);
        if (move.IsReorg && _logger is not null) LogReorg(_logger, move.From.Number, move.To.Number, move.Ancestor.Number, move.Reverted);
        return reached with { Head = _tree.Head, Move = move };
    }

    /// <summary>Makes <paramref name="finalized"/> final: reaches it first when it is not held yet, then flattens up to it.</summary>
    public async ValueTask<FollowOutcome> FinalizeAsync(Hash256 finalized, CancellationToken cancellation)
    {
        FollowOutcome reached = IsAtOrBelowBase(finalized)
            ? new FollowOutcome(FollowStatus.Followed, _tree.Head, null, 0, 0, null)
            : await ReachAsync(finalized, cancellation).ConfigureAwait(false);
        if (reached.Status != FollowStatus.Followed) return reached;
        try
        {
            int flattened = _tree.Finalize(finalized);
            return reached with { Head = _tree.Head, Flattened = flattened };
        }
        catch (FollowException e) when (e.Error is FollowError.UnknownFinalized or FollowError.ConflictsWithBase)
        {
            return reached with { Status = FollowStatus.ConflictsWithBase, Head = _tree.Head, Detail = e.Message };
        }
    }

    // Makes sure `block` is held: walks back to a held block, then adds the missing ones oldest first.
    private async ValueTask<FollowOutcome> ReachAsync(Hash256 block, CancellationToken cancellation)
    {
        if (_tree.Contains(block)) return Outcome(FollowStatus.Followed, 0, 0, null);
        var missing = new List<BlockHeader>();
        Hash256 next = block;
        while (!_tree.Contains(next))
        {
            if (missing.Count >= _options.MaxLayers)
                return Outcome(FollowStatus.TooFarAhead, 0, 0, null, $"block {block} is more than {_options.MaxLayers} blocks from any held block");
            (BlockHeader? header, DiffRejection? rejection) = await ResolveHeaderAsync(next, missing.Count > 0 ? missing[^1] : null, cancellation).ConfigureAwait(false);
            if (header is null) return Outcome(rejection is null ? FollowStatus.Unavailable : FollowStatus.Rejected, 0, 0, rejection, $"no header for {next}");
            if (header.Number <= _tree.Base.Number)
                return Outcome(FollowStatus.ConflictsWithBase, 0, 0, null, $"block {block} does not descend from the finalized block {_tree.Base.Number}");
            missing.Add(header);
            next = header.ParentHash;
        }
        _tree.TryGetHeader(next, out BlockHeader joined);
        if (missing[^1].Number != joined.Number + 1)
            return Outcome(FollowStatus.ConflictsWithBase, 0, 0, null, $"block {missing[^1].Number} names block {joined.Number} as its parent");
        missing.Reverse();
        return await AddAllAsync(missing, cancellation).ConfigureAwait(false);
    }

    // Fetches the diffs of consecutive blocks (a window ahead) and verifies them in order.
    private async ValueTask<FollowOutcome> AddAllAsync(List<BlockHeader> blocks, CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var pending = new Task<ReadOnlyMemory<byte>?>?[blocks.Count];
        int started = 0, added = 0, fetched = 0;
        DiffRejection? last = null;
        try
        {
            for (int i = 0; i < blocks.Count; i++)
            {
                for (; started < blocks.Count && started < i + _options.MaxParallelFetches; started++, fetched++) pending[started] = FetchDiff(blocks[started], stop.Token);
                ReadOnlyMemory<byte>? diff = await pending[i]!.ConfigureAwait(false);
                pending[i] = null;
                for (int attempt = 1; ; attempt++)
                {
                    if (diff is not { } bytes) return Outcome(FollowStatus.Unavailable, added, fetched, last, $"no diff for block {blocks[i].Number}");
                    if (_tree.TryAdd(blocks[i], bytes, out DiffRejection? rejection))
                    {
                        added++;
                        break;
                    }
                    last = rejection!;
                    Reject(last);
                    if (attempt >= _options.MaxFetchAttempts) return Outcome(FollowStatus.Rejected, added, fetched, last);
                    fetched++;
                    diff = await FetchDiff(blocks[i], stop.Token).ConfigureAwait(false);
                }
            }
            return Outcome(FollowStatus.Followed, added, fetched, last);
        }
        catch (FollowException e) when (e.Error == FollowError.LayerLimit)
        {
            return Outcome(FollowStatus.TooFarAhead, added, fetched, last, e.Message);
        }
        finally
        {
            // Prefetched diffs no longer needed: stop them and observe their end before returning.
            await stop.CancelAsync().ConfigureAwait(false);
            Task[] abandoned = [.. pending.OfType<Task>()];
            if (abandoned.Length > 0) await Task.WhenAll(abandoned).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    // The header with `hash`: announced, stored, or fetched (checked against the hash and the child it must precede).
    private async ValueTask<(BlockHeader? Header, DiffRejection? Rejection)> ResolveHeaderAsync(Hash256 hash, BlockHeader? child, CancellationToken cancellation)
    {
        if (_announced.TryGetValue(hash, out BlockHeader? announced)) return (announced, null);
        if (StoredHeader(hash) is { } stored) return (stored, null);
        DiffRejection? last = null;
        for (int attempt = 0; attempt < _options.MaxFetchAttempts; attempt++)
        {
            HeadersFetched++;
            BlockHeader? header = await _sources.FetchHeader(hash, cancellation).ConfigureAwait(false);
            if (header is null) return (null, last);
            if (header.Hash == hash && (child is null || child.Number == header.Number + 1)) return (header, null);
            last = new DiffRejection(hash, header.Number, DiffRejectionReason.WrongHeader,
                header.Hash != hash ? $"asked for header {hash}, got {header.Hash}" : $"header {header.Number} cannot be the parent of block {child!.Number}");
            Reject(last);
        }
        return (null, last);
    }

    private BlockHeader? StoredHeader(Hash256 hash)
    {
        if (!HeaderStore.TryReadNumber(_headers, hash, out ulong number)) return null;
        return StateHistory.ReadHeader(_headers, number, hash);
    }

    private bool IsAtOrBelowBase(Hash256 block) =>
        block == _tree.Base.Hash || (HeaderStore.TryReadNumber(_headers, block, out ulong number) && number < _tree.Base.Number);

    private Task<ReadOnlyMemory<byte>?> FetchDiff(BlockHeader header, CancellationToken cancellation)
    {
        DiffsFetched++;
        return _sources.FetchDiff(header, cancellation).AsTask();
    }

    private void Reject(DiffRejection rejection)
    {
        Rejections++;
        if (_logger is not null) LogRejected(_logger, rejection.Number, rejection.Hash, rejection.Reason, rejection.Detail);
        _sources.OnRejected?.Invoke(rejection);
    }

    private FollowOutcome Outcome(FollowStatus status, int added, int fetched, DiffRejection? rejection, string? detail = null) =>
        new(status, _tree.Head, null, added, fetched, rejection, detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reorg: head {From} -> {To} over common ancestor {Ancestor} ({Reverted} blocks reverted, nothing refetched)")]
    private static partial void LogReorg(ILogger logger, ulong from, ulong to, ulong ancestor, int reverted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused the answer for block {Number} ({Hash}): {Reason}: {Detail}")]
    private static partial void LogRejected(ILogger logger, ulong number, Hash256 hash, DiffRejectionReason reason, string detail);
}
