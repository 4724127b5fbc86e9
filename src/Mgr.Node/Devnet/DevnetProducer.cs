using Mgr.Node.EngineApi;
using Mgr.Node.Headers;
using Mgr.Node.Storage;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;
using Microsoft.Extensions.Logging;

namespace Mgr.Node.Devnet;

/// <summary>Extends a devnet in real time and drives nodes like a consensus client: every slot it produces the next
/// block (appended to the chain log, then applied to the producer's store), then tells every engine about it with
/// <c>engine_newPayloadV3</c> followed by <c>engine_forkchoiceUpdatedV3</c> (head = the new block, finalized = head − lag,
/// safe halfway between).</summary>
/// <remarks>
/// <para>Crash safety: a block reaches the chain log (fsynced) before the store commits it, so after a crash the log is
/// at most one block ahead; <see cref="Open"/> applies such blocks to the store before producing.</para>
/// <para>An engine that is down or answers with an error does not stop production: the failure is logged and reported
/// in <see cref="DevnetProducerStep.EngineResults"/>. Single caller; owns the chain log (dispose it). Without a chain
/// log (null, for in-memory tests and demos) blocks go to the chain's store only.</para>
/// </remarks>
public sealed partial class DevnetProducer : IDisposable
{
    private readonly DevnetChain _chain;
    private readonly ChainLog? _log;
    private readonly IReadOnlyList<EngineApiClient> _engines;
    private readonly DevnetProducerOptions _options;
    private readonly TimeProvider _time;
    private readonly string? _preverifiedPath;
    private readonly ILogger? _logger;

    public DevnetProducer(DevnetChain chain, ChainLog? log, IReadOnlyList<EngineApiClient> engines, DevnetProducerOptions options,
        TimeProvider time, string? preverifiedHashesPath = null, ILogger? logger = null)
    {
        _chain = chain ?? throw new ArgumentNullException(nameof(chain));
        _log = log;
        _engines = engines ?? throw new ArgumentNullException(nameof(engines));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _preverifiedPath = preverifiedHashesPath;
        _logger = logger;
        if (_log?.Head is { } logHead && logHead.Hash != _chain.Head.Hash)
            throw new ArgumentException($"The chain log's head {logHead.Number} is not the store's head {_chain.Head.Number}.", nameof(log));
    }

    /// <summary>The chain being extended.</summary>
    public DevnetChain Chain => _chain;

    /// <summary>Opens a devnet directory's store and chain log for producing: truncates a torn log tail and applies log
    /// blocks the store is missing (a crash between the two writes).</summary>
    /// <exception cref="DevnetException">When log and store disagree beyond that.</exception>
    public static DevnetProducer Open(DevnetDirectory directory, IKeyValueStore store, IReadOnlyList<EngineApiClient> engines,
        DevnetProducerOptions options, TimeProvider time, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        DevnetParameters parameters = DevnetParameters.Load(directory.ParametersPath);
        DevnetChain chain = DevnetChain.Open(store, parameters);
        BlockHeader storeHead = chain.Head;
        ulong applied = 0;
        ChainLog log = ChainLog.Open(directory.ChainLogPath, block =>
        {
            if (block.Header.Number <= storeHead.Number) return;
            DevnetFollower.ApplyBlock(store, storeHead, block);
            storeHead = block.Header;
            applied++;
        });
        try
        {
            chain = DevnetChain.Open(store, parameters);
            if (log.Head is null ? chain.Head.Number != 0 : log.Head.Hash != chain.Head.Hash)
                throw new DevnetException($"The chain log ends at block {log.Head?.Number ?? 0} but the store at {chain.Head.Number}: they do not match.");
            if (applied > 0 && logger is not null) LogCaughtUp(logger, applied, chain.Head.Number);
            return new DevnetProducer(chain, log, engines, options, time, directory.PreverifiedHashesPath, logger);
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <summary>Produces blocks every <see cref="DevnetProducerOptions.BlockInterval"/> until cancelled or until
    /// <paramref name="blocks"/> have been produced; <paramref name="onStep"/> sees each.</summary>
    public async Task RunAsync(long? blocks, Action<DevnetProducerStep>? onStep, CancellationToken cancellation)
    {
        for (long produced = 0; blocks is null || produced < blocks; produced++)
        {
            try
            {
                await Task.Delay(_options.BlockInterval, _time, cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            DevnetProducerStep step = await ProduceAsync(cancellation).ConfigureAwait(false);
            onStep?.Invoke(step);
        }
    }

    /// <summary>Produces one block now and announces it to every engine.</summary>
    public async Task<DevnetProducerStep> ProduceAsync(CancellationToken cancellation)
    {
        ulong now = (ulong)Math.Max(0, _time.GetUtcNow().ToUnixTimeSeconds());
        DevnetBlock block = _chain.ProduceNext(now, _log is null ? null : _log.Append);
        BlockHeader head = block.Header;
        if (_preverifiedPath is not null && head.Number % (ulong)PreverifiedHashes.Interval == 0)
            DevnetGeneration.WritePreverifiedHashes(_chain.Store, head.Number, _preverifiedPath);

        ulong finalizedNumber = head.Number > _options.FinalityLag ? head.Number - _options.FinalityLag : 0;
        ulong safeNumber = finalizedNumber + (head.Number - finalizedNumber) / 2;
        Hash256 finalized = CanonicalHash(finalizedNumber), safe = CanonicalHash(safeNumber);
        var results = new string[_engines.Count];
        await Task.WhenAll(_engines.Select((engine, i) => NotifyAsync(engine, head, safe, finalized, results, i, cancellation))).ConfigureAwait(false);
        if (_logger is not null) LogProduced(_logger, head.Number, head.Hash, finalizedNumber);
        return new DevnetProducerStep(block, safeNumber, safe, finalizedNumber, finalized, results);
    }

    /// <summary>Tells every engine the current head (its payload) and forkchoice again without producing a block, as a
    /// consensus client keeps doing every slot: a node that started after the last block learns the chain this way.</summary>
    public async Task<IReadOnlyList<string>> AnnounceAsync(CancellationToken cancellation)
    {
        BlockHeader head = _chain.Head;
        ulong finalizedNumber = head.Number > _options.FinalityLag ? head.Number - _options.FinalityLag : 0;
        ulong safeNumber = finalizedNumber + (head.Number - finalizedNumber) / 2;
        Hash256 finalized = CanonicalHash(finalizedNumber), safe = CanonicalHash(safeNumber);
        var results = new string[_engines.Count];
        await Task.WhenAll(_engines.Select((engine, i) => NotifyAsync(engine, head, safe, finalized, results, i, cancellation))).ConfigureAwait(false);
        return results;
    }

    public void Dispose() => _log?.Dispose();

    private Hash256 CanonicalHash(ulong number)
    {
        if (!HeaderStore.TryReadCanonical(_chain.Store, number, out Hash256 hash))
            throw new DevnetException($"The producer's store has no canonical block {number}.");
        return hash;
    }

    private async Task NotifyAsync(EngineApiClient engine, BlockHeader head, Hash256 safe, Hash256 finalized, string[] results, int index,
        CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(_options.EngineCallTimeout);
        try
        {
            ExecutionPayload payload = ExecutionPayload.FromBlock(head, [], []);
            PayloadStatusResult payloadStatus = await engine.NewPayloadAsync(payload, [], head.ParentBeaconBlockRoot!.Value, timeout.Token).ConfigureAwait(false);
            PayloadStatusResult forkchoice = await engine.ForkchoiceUpdatedAsync(head.Hash, safe, finalized, timeout.Token).ConfigureAwait(false);
            results[index] = $"{payloadStatus.Status}/{forkchoice.Status}";
        }
        catch (Exception e) when (e is EngineApiClientException or HttpRequestException or OperationCanceledException)
        {
            // Stopping: a call that failed meanwhile (a node already gone refuses the connection) is the caller's
            // cancellation, not a failure of its own.
            cancellation.ThrowIfCancellationRequested();
            results[index] = "failed: " + e.Message;
            if (_logger is not null) LogEngineFailed(_logger, index, head.Number, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "devnet block {Number} {Hash} produced, finalized {Finalized}")]
    private static partial void LogProduced(ILogger logger, ulong number, Hash256 hash, ulong finalized);

    [LoggerMessage(Level = LogLevel.Warning, Message = "engine #{Engine} not told about block {Number}: {Reason}")]
    private static partial void LogEngineFailed(ILogger logger, int engine, ulong number, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "applied {Count} chain-log blocks the store was missing; head {Head}")]
    private static partial void LogCaughtUp(ILogger logger, ulong count, ulong head);
}
