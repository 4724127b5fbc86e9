using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>The requests an engine has outstanding, by request id, and what they ask for: the chunks (so that a chunk
/// is asked of one peer at a time) and the code hashes. A response is matched to its request only when it comes from
/// the peer that was asked and is of the kind asked for (spec/mgr-protocol.md §4: request ids are the requester's).</summary>
/// <remarks>Owned by the engine's loop, like the engine.</remarks>
internal sealed class RequestBook
{
    /// <summary>How many timed-out requests are remembered, so that their late answers are told from unsolicited ones.</summary>
    public const int LateRemembered = 256;

    private readonly Dictionary<ulong, PendingRequest> _pending = [];
    private readonly HashSet<(ulong Id, PeerHandle Peer)> _timedOut = [];
    private readonly Queue<(ulong Id, PeerHandle Peer)> _timedOutOrder = new();
    private readonly Dictionary<ChunkId, int> _chunks = [];
    private readonly HashSet<Hash256> _codes = [];
    private readonly Dictionary<PeerHandle, int> _inFlight = [];
    private ulong _nextId = 1;

    /// <summary>Requests outstanding.</summary>
    public int Count => _pending.Count;

    /// <summary>True while some request for code is outstanding.</summary>
    public bool AnyCodes => _codes.Count > 0;

    /// <summary>A fresh request id.</summary>
    public ulong NextId() => _nextId++;

    /// <summary>Requests outstanding towards <paramref name="peer"/>.</summary>
    public int InFlightTo(PeerHandle peer) => _inFlight.GetValueOrDefault(peer);

    /// <summary>True while <paramref name="chunk"/> is asked of some peer.</summary>
    public bool IsRequested(ChunkId chunk) => _chunks.ContainsKey(chunk);

    /// <summary>The chunks asked of some peer.</summary>
    public IEnumerable<ChunkId> RequestedChunks => _chunks.Keys;

    /// <summary>How many requests for <paramref name="chunk"/> are outstanding (two in the endgame, when a second holder
    /// was asked for a chunk whose first request took long).</summary>
    public int RequestsFor(ChunkId chunk) => _chunks.TryGetValue(chunk, out int count) ? count : 0;

    /// <summary>The outstanding requests of <paramref name="kind"/>, oldest first.</summary>
    public IEnumerable<PendingRequest> Outstanding(PendingKind kind) =>
        _pending.Values.Where(request => request.Kind == kind).OrderBy(static request => request.SentAt);

    /// <summary>Records a request sent with id <paramref name="id"/>.</summary>
    public void Add(ulong id, PendingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _pending[id] = request;
        _inFlight[request.Peer] = InFlightTo(request.Peer) + 1;
        if (request.Chunk is { } chunk) _chunks[chunk] = RequestsFor(chunk) + 1;
        if (request.Kind == PendingKind.ByteCodes) _codes.UnionWith(request.Codes);
    }

    /// <summary>Removes and returns the request <paramref name="id"/> if <paramref name="peer"/> was asked it and, when
    /// <paramref name="kind"/> is given, it is of that kind; otherwise leaves the book as it is and returns false.</summary>
    public bool TryTake(ulong id, PeerHandle peer, PendingKind? kind, out PendingRequest request)
    {
        if (!_pending.TryGetValue(id, out PendingRequest? found) || found.Peer != peer || (kind is { } wanted && found.Kind != wanted))
        {
            request = null!;
            return false;
        }
        Remove(id, found);
        request = found;
        return true;
    }

    /// <summary>Removes and returns every request sent before <paramref name="cutoff"/> (timed out), remembering the
    /// last <see cref="LateRemembered"/> of them for <see cref="TakeLate"/>.</summary>
    public List<PendingRequest> TakeSentBefore(TimeSpan cutoff)
    {
        List<(ulong Id, PendingRequest Request)> taken = TakeWhere(request => request.SentAt < cutoff);
        var requests = new List<PendingRequest>(taken.Count);
        foreach ((ulong id, PendingRequest request) in taken)
        {
            requests.Add(request);
            if (!_timedOut.Add((id, request.Peer))) continue;
            _timedOutOrder.Enqueue((id, request.Peer));
            if (_timedOutOrder.Count > LateRemembered) _timedOut.Remove(_timedOutOrder.Dequeue());
        }
        return requests;
    }

    /// <summary>True (once) when <paramref name="id"/> is a request <paramref name="peer"/> was asked and let time out
    /// lately: its answer is late, not unsolicited.</summary>
    public bool TakeLate(ulong id, PeerHandle peer) => _timedOut.Remove((id, peer));

    /// <summary>Removes and returns every request asked of <paramref name="peer"/>.</summary>
    public List<PendingRequest> TakeOf(PeerHandle peer) => [.. TakeWhere(request => request.Peer == peer).Select(static taken => taken.Request)];

    /// <summary>Lets every chunk be asked again, though earlier requests for it may still be answered (a new epoch:
    /// the same chunk identifiers now mean chunks of the new root).</summary>
    public void ForgetChunks() => _chunks.Clear();

    private List<(ulong Id, PendingRequest Request)> TakeWhere(Func<PendingRequest, bool> match)
    {
        var taken = new List<(ulong Id, PendingRequest Request)>();
        foreach ((ulong id, PendingRequest request) in _pending)
        {
            if (match(request)) taken.Add((id, request));
        }
        foreach ((ulong id, PendingRequest request) in taken) Remove(id, request);
        return taken;
    }

    private void Remove(ulong id, PendingRequest request)
    {
        _pending.Remove(id);
        Release(_inFlight, request.Peer);
        if (request.Chunk is { } chunk) Release(_chunks, chunk); // a chunk forgotten at a new epoch is not counted
        if (request.Kind == PendingKind.ByteCodes) _codes.ExceptWith(request.Codes);
    }

    // One request fewer for `key`; a count that reaches 0 leaves the map.
    private static void Release<TKey>(Dictionary<TKey, int> counts, TKey key) where TKey : notnull
    {
        if (!counts.TryGetValue(key, out int count)) return;
        if (count > 1) counts[key] = count - 1;
        else counts.Remove(key);
    }
}
