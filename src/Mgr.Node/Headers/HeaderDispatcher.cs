using Mgr.Protocol.Identity;

namespace Mgr.Node.Headers;

/// <summary>Runs a header feed against peers: picks who answers each request, enforces timeouts and in-flight
/// limits, and turns the feed's verdicts into penalties (a peer at <see cref="HeaderSyncOptions.BanThreshold"/>
/// is not asked again).</summary>
/// <remarks>
/// Concurrency: one loop (the caller of <see cref="RunAsync"/>) owns the feed and the penalty table; peer
/// calls run concurrently as tasks this object owns, which also decode and check each answer in isolation
/// (<see cref="HeaderResponse.Check"/>); the checked results are handed to the feed on the loop.
/// Requests still in flight when a run returns stay owned and are consumed by the next run with the same feed
/// (or awaited and dropped when the feed changes, or on dispose). A request marked with excluded peers goes to
/// another peer when one is free; only when every usable peer is excluded is the exclusion ignored.
/// </remarks>
public sealed class HeaderDispatcher(IReadOnlyList<IHeaderPeer> peers, HeaderSyncOptions options, TimeProvider? time = null) : IAsyncDisposable
{
    /// <summary>How often a download without a usable peer looks for one again (see <see cref="HeaderSyncOptions.PeerWait"/>).</summary>
    public static readonly TimeSpan PeerPollInterval = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<PeerId, int> _penalties = [];
    private readonly Dictionary<PeerId, int> _busy = [];
    private readonly Dictionary<Task<HeaderResponse?>, InFlight> _inFlight = [];
    private IRequestFeed<HeaderRequest, HeaderResponse>? _feed;
    private HeaderRequest? _pending;

    /// <summary>Requests sent so far.</summary>
    public long RequestsSent { get; private set; }

    /// <summary>The penalty score of <paramref name="peer"/> (0 if never penalized).</summary>
    public int PenaltyOf(PeerId peer) => _penalties.GetValueOrDefault(peer);

    /// <summary>True when <paramref name="peer"/> reached the ban threshold.</summary>
    public bool IsBanned(PeerId peer) => PenaltyOf(peer) >= options.BanThreshold;

    /// <summary>Asks and feeds answers until <paramref name="enough"/> says so, the feed completes, or nothing can
    /// move (nothing in flight and nothing to ask: the caller must take what the feed holds).</summary>
    /// <exception cref="HeaderSyncException">When every peer is banned (or there are none) for longer than
    /// <see cref="HeaderSyncOptions.PeerWait"/>.</exception>
    public async Task RunAsync(IRequestFeed<HeaderRequest, HeaderResponse> feed, Func<bool> enough, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(enough);
        if (!ReferenceEquals(feed, _feed))
        {
            await DrainAsync().ConfigureAwait(false);
            _feed = feed;
            _pending = null;
        }
        while (!enough())
        {
            cancellation.ThrowIfCancellationRequested();
            await IssueAsync(feed, cancellation).ConfigureAwait(false);
            if (_inFlight.Count == 0) return;
            Task<HeaderResponse?> done = await Task.WhenAny(_inFlight.Keys).WaitAsync(cancellation).ConfigureAwait(false);
            InFlight call = _inFlight[done];
            _inFlight.Remove(done);
            _busy[call.Peer.Id]--;
            ResponseVerdict verdict = feed.Accept(call.Request, await done.ConfigureAwait(false), call.Peer.Id);
            Penalize(call.Peer.Id, verdict);
            while (feed.TryTakeLateVerdict(out PeerVerdict late)) Penalize(late.Peer, late.Verdict);
        }
    }

    private async Task IssueAsync(IRequestFeed<HeaderRequest, HeaderResponse> feed, CancellationToken cancellation)
    {
        TimeSpan waited = TimeSpan.Zero;
        while (true)
        {
            _pending ??= await feed.NextAsync(cancellation).ConfigureAwait(false);
            if (_pending is null) return;
            IHeaderPeer? peer = Choose(_pending, out bool noneUsable);
            if (noneUsable)
            {
                if (_inFlight.Count > 0) return; // answers still to come; ask again after them
                if (waited >= options.PeerWait)
                    throw new HeaderSyncException(peers.Count == 0 ? "no peers to download headers from" : "every peer was penalized out of the header download");
                await Task.Delay(PeerPollInterval, (time ?? TimeProvider.System), cancellation).ConfigureAwait(false);
                waited += PeerPollInterval;
                continue;
            }
            if (peer is null) return;
            HeaderRequest request = _pending;
            _pending = null;
            _busy[peer.Id] = _busy.GetValueOrDefault(peer.Id) + 1;
            RequestsSent++;
            _inFlight[AskAsync(peer, request, cancellation)] = new InFlight(request, peer);
        }
    }

    private IHeaderPeer? Choose(HeaderRequest request, out bool noneUsable)
    {
        IHeaderPeer? best = null, fallback = null;
        bool anyUsable = false;
        foreach (IHeaderPeer peer in peers)
        {
            if (IsBanned(peer.Id)) continue;
            anyUsable = true;
            if (_busy.GetValueOrDefault(peer.Id) >= options.MaxInFlightPerPeer) continue;
            if (request.Excluded.Contains(peer.Id))
            {
                if (fallback is null || Better(peer, fallback)) fallback = peer;
                continue;
            }
            if (best is null || Better(peer, best)) best = peer;
        }
        noneUsable = !anyUsable;
        if (best is not null || noneUsable) return best;
        // Only excluded peers are free: use one if no unexcluded usable peer exists at all.
        bool unexcludedExists = peers.Any(p => !IsBanned(p.Id) && !request.Excluded.Contains(p.Id));
        return unexcludedExists ? null : fallback;
    }

    private bool Better(IHeaderPeer a, IHeaderPeer b)
    {
        int byPenalty = PenaltyOf(a.Id).CompareTo(PenaltyOf(b.Id));
        return byPenalty != 0 ? byPenalty < 0 : _busy.GetValueOrDefault(a.Id) < _busy.GetValueOrDefault(b.Id);
    }

    // Runs on the thread pool: the answer is decoded and checked in isolation here, in parallel with other
    // answers and with the loop, which then only links it to its neighbours.
    private async Task<HeaderResponse?> AskAsync(IHeaderPeer peer, HeaderRequest request, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            IReadOnlyList<ReadOnlyMemory<byte>> answer = await peer.GetBlockHeadersAsync(request.Query, timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
            return HeaderResponse.Check(request, answer, (time ?? TimeProvider.System).GetUtcNow());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null; // timed out, cancelled, or the peer failed: the feed sees no answer
        }
    }

    private void Penalize(PeerId peer, ResponseVerdict verdict)
    {
        int score = verdict switch
        {
            ResponseVerdict.Accepted or ResponseVerdict.Unconfirmed => 0,
            ResponseVerdict.NoResponse => 5,
            _ => options.BanThreshold,
        };
        if (score > 0) _penalties[peer] = PenaltyOf(peer) + score;
    }

    private async Task DrainAsync()
    {
        foreach (Task<HeaderResponse?> task in _inFlight.Keys) await task.ConfigureAwait(false);
        _inFlight.Clear();
        _busy.Clear();
    }

    public async ValueTask DisposeAsync() => await DrainAsync().ConfigureAwait(false);

    private sealed record InFlight(HeaderRequest Request, IHeaderPeer Peer);
}
