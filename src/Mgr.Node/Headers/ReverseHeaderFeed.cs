using Mgr.Protocol.Identity;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Headers;

/// <summary>Decides which headers to ask for, and judges the answers, while downloading a header chain
/// backwards from a trusted edge (a header hash we know is right) down to a low block number.</summary>
/// <remarks>
/// <para>The range is cut into slices of <see cref="SliceSize"/> headers, slice 0 starting at the edge. A
/// skeleton request (the top header of each of up to <see cref="SkeletonSpan"/> slices, skip = 191) gives each
/// slice the hash its top must have, so slices download in parallel from different peers and each is checked
/// on arrival (the isolated checks — count, numbers, post-merge sanity, internal hash links — already done off this
/// loop by <see cref="HeaderResponse.Check"/>) and its top against the skeleton.
/// Verified slices connect in order to the trusted edge (top hash = edge hash), which then moves to the
/// bottom header's parent hash; connected headers wait in <see cref="TakeReady"/>.</para>
/// <para>Faults inside an answer are the sender's (penalized at once, the slice re-asked of another peer). A
/// slice that disagrees only with the skeleton is ambiguous: it is re-asked of another peer; if that peer
/// agrees with the skeleton the first one lied (late verdict), if it disagrees too the skeleton's sender lied
/// (late verdict) and the skeleton is fetched again. A slice that has become the next to connect while it was asked is
/// checked against the trusted edge instead; if it passes and differs from its skeleton entry, the skeleton is proven
/// to lie (late verdict, fetched again; the slice is kept). A slice that matches a lying skeleton cannot connect; both
/// senders are then penalized.</para>
/// <para>The window of slices in memory (downloaded, in flight, or connected but not yet taken) is bounded
/// by the memory limit given. Single-threaded: only the dispatcher's loop calls it.</para>
/// </remarks>
public sealed class ReverseHeaderFeed : IRequestFeed<HeaderRequest, HeaderResponse>
{
    /// <summary>Headers per slice (the header downloader's 192).</summary>
    public const int SliceSize = 192;

    /// <summary>Slices covered by one skeleton request: 128 headers, well under the 1,024 a request may ask.</summary>
    public const int SkeletonSpan = 128;

    /// <summary>Bytes assumed per header before it arrives (a Cancun header is 600–650 bytes of RLP).</summary>
    public const int EstimatedHeaderBytes = 640;

    private readonly ulong _baseTop;
    private readonly ulong _low;
    private readonly long _sliceTotal;
    private readonly long _memoryLimitBytes;
    private readonly List<HeaderSlice> _window = [];
    private readonly PreverifiedHashes _preverified;
    private readonly Dictionary<long, SkeletonEntry> _skeleton = [];
    private readonly Queue<PeerVerdict> _late = new();
    private List<BlockHeader> _ready = [];
    private long _readyBytes;
    private long _heldBytes;
    private long _nextSlice;
    private long _generation;
    private bool _skeletonInFlight;
    private Hash256 _edgeHash;

    /// <summary>Downloads headers <paramref name="top"/> (whose hash is <paramref name="topHash"/>) down to
    /// <paramref name="low"/>, inclusive; an empty range when <paramref name="low"/> &gt; <paramref name="top"/>.</summary>
    /// <remarks>With <paramref name="preverified"/>, a slice whose top is a listed number takes its expected top hash
    /// from the list instead of a skeleton; such a slice is judged at once (the list is trusted).</remarks>
    public ReverseHeaderFeed(ulong top, Hash256 topHash, ulong low, long memoryLimitBytes, PreverifiedHashes? preverified = null)
    {
        _preverified = preverified ?? PreverifiedHashes.Empty;
        _baseTop = top;
        _low = low;
        _edgeHash = topHash;
        EdgeNumber = top;
        _sliceTotal = low > top ? 0 : (long)((top - low) / SliceSize) + 1;
        _memoryLimitBytes = Math.Max(memoryLimitBytes, SliceSize * EstimatedHeaderBytes);
    }

    /// <summary>Slices connected so far.</summary>
    public long ConnectedSlices { get; private set; }

    /// <summary>Skeleton requests answered that were later proven to lie.</summary>
    public int SkeletonResets { get; private set; }

    /// <summary>Hash the next header to connect must have (its child's parent hash).</summary>
    public Hash256 EdgeHash => _edgeHash;

    /// <summary>Number of the next header to connect (meaningless once <see cref="IsComplete"/>).</summary>
    public ulong EdgeNumber { get; private set; }

    /// <summary>Lowest number this feed downloads.</summary>
    public ulong Low => _low;

    public bool IsComplete => ConnectedSlices == _sliceTotal;

    /// <summary>Connected headers waiting to be stored.</summary>
    public int ReadyCount => _ready.Count;

    /// <summary>Bytes held in memory now: verified and connected-but-untaken headers.</summary>
    public long HeldBytes => _heldBytes + _readyBytes;

    /// <summary>Hands over the connected headers, highest first, and frees their memory budget.</summary>
    public IReadOnlyList<BlockHeader> TakeReady()
    {
        List<BlockHeader> ready = _ready;
        _ready = [];
        _readyBytes = 0;
        return ready;
    }

    public ValueTask<HeaderRequest?> NextAsync(CancellationToken cancellation) => ValueTask.FromResult(Next());

    private HeaderRequest? Next()
    {
        Refill();
        if (!_skeletonInFlight && _window.Count > 0)
        {
            foreach (HeaderSlice slice in _window)
            {
                if (slice.Index == FirstIndex || _skeleton.ContainsKey(slice.Index)) continue;
                int span = (int)Math.Min(SkeletonSpan, _sliceTotal - slice.Index);
                _skeletonInFlight = true;
                return new HeaderRequest(HeaderRequestKind.Skeleton, slice.Index, span,
                    new HeaderQuery(TopOf(slice.Index), span, SliceSize - 1, Reverse: true), new HashSet<PeerId>(), _generation);
            }
        }
        foreach (HeaderSlice slice in _window)
        {
            if (slice.Status != HeaderSliceStatus.Empty) continue;
            if (slice.Index != FirstIndex && !_skeleton.ContainsKey(slice.Index)) continue;
            if (!HasBudgetFor(slice.Count)) return null;
            slice.Status = HeaderSliceStatus.Waiting;
            return new HeaderRequest(HeaderRequestKind.Slice, slice.Index, 1,
                new HeaderQuery(slice.Top, slice.Count, 0, Reverse: true), new HashSet<PeerId>(slice.Excluded), _generation);
        }
        return null;
    }

    public ResponseVerdict Accept(HeaderRequest request, HeaderResponse? response, PeerId from)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(from);
        if (request.Kind == HeaderRequestKind.Skeleton)
        {
            if (request.Generation == _generation) _skeletonInFlight = false;
            return AcceptSkeleton(request, response, from);
        }
        HeaderSlice? slice = _window.Find(s => s.Index == request.FirstSlice);
        if (slice is null || slice.Status != HeaderSliceStatus.Waiting || request.Generation != _generation)
            return response is null ? ResponseVerdict.NoResponse : ResponseVerdict.Accepted; // overtaken by a reset
        return AcceptSlice(slice, response, from);
    }

    public bool TryTakeLateVerdict(out PeerVerdict verdict) => _late.TryDequeue(out verdict);

    private long FirstIndex => ConnectedSlices;

    private ulong TopOf(long index) => _baseTop - (ulong)index * SliceSize;

    private bool HasBudgetFor(int headers)
    {
        long waiting = _window.Count(s => s.Status == HeaderSliceStatus.Waiting);
        long planned = HeldBytes + (waiting + 1) * (long)SliceSize * EstimatedHeaderBytes;
        return planned <= _memoryLimitBytes || waiting == 0 && HeldBytes == 0 && headers > 0;
    }

    private void Refill()
    {
        long maxSlices = Math.Max(1, _memoryLimitBytes / ((long)SliceSize * EstimatedHeaderBytes));
        while (_window.Count < maxSlices && _nextSlice < _sliceTotal)
        {
            ulong top = TopOf(_nextSlice);
            int count = (int)Math.Min(SliceSize, top - _low + 1);
            _window.Add(new HeaderSlice(_nextSlice, top, count));
            if (_nextSlice > FirstIndex && _preverified.Entries.TryGetValue(top, out Hash256 trusted))
                _skeleton[_nextSlice] = new SkeletonEntry(trusted, null);
            _nextSlice++;
        }
    }

    private ResponseVerdict AcceptSkeleton(HeaderRequest request, HeaderResponse? response, PeerId from)
    {
        if (response is null) return ResponseVerdict.NoResponse;
        if (response.Verdict != ResponseVerdict.Accepted) return response.Verdict;
        if (request.Generation != _generation) return ResponseVerdict.Accepted;
        IReadOnlyList<BlockHeader> headers = response.Headers;
        if (request.FirstSlice == FirstIndex && headers[0].Hash != _edgeHash) return ResponseVerdict.BrokenLink;
        for (int j = 0; j < headers.Count; j++)
        {
            long index = request.FirstSlice + j;
            if (index > FirstIndex) _skeleton.TryAdd(index, new SkeletonEntry(headers[j].Hash, from));
        }
        return ResponseVerdict.Accepted;
    }

    private ResponseVerdict AcceptSlice(HeaderSlice slice, HeaderResponse? response, PeerId from)
    {
        ResponseVerdict verdict = response?.Verdict ?? ResponseVerdict.NoResponse;
        if (verdict != ResponseVerdict.Accepted)
        {
            Drop(slice, from);
            return verdict;
        }
        BlockHeader[] headers = [.. response!.Headers];
        long bytes = response.Bytes;
        Hash256 expected = slice.Index == FirstIndex ? _edgeHash : _skeleton[slice.Index].Hash;
        if (headers[0].Hash != expected)
        {
            if (slice.Index == FirstIndex || _skeleton[slice.Index].From is null)
            {
                Drop(slice, from); // against the trusted edge or a preverified hash: the slice lied
                return ResponseVerdict.BrokenLink;
            }
            if (slice.Suspect is null || slice.Suspect == from)
            {
                slice.Suspect = from;
                Drop(slice, from);
                return ResponseVerdict.Unconfirmed;
            }
            // A second peer disagrees with the skeleton: the skeleton lied.
            BlameSkeleton(slice.Index);
            return ResponseVerdict.Accepted;
        }
        if (slice.Index == FirstIndex && _skeleton.TryGetValue(slice.Index, out SkeletonEntry entry) && entry.From is not null && entry.Hash != headers[0].Hash)
        {
            // The slices above connected while this one was asked, so it passed against the trusted edge: its skeleton
            // entry is proven false (and a suspect who disagreed with it was right). The slice itself is good.
            BlameSkeleton(slice.Index);
        }
        else if (slice.Suspect is { } suspect)
        {
            _late.Enqueue(new PeerVerdict(suspect, ResponseVerdict.BrokenLink)); // this answer matched the skeleton
        }
        slice.Suspect = null;
        slice.Status = HeaderSliceStatus.Verified;
        slice.Headers = headers;
        slice.HeldBytes = bytes;
        slice.ServedBy = from;
        _heldBytes += bytes;
        Connect();
        return ResponseVerdict.Accepted;
    }

    private void Connect()
    {
        while (_window.Count > 0 && _window[0].Status == HeaderSliceStatus.Verified)
        {
            HeaderSlice slice = _window[0];
            BlockHeader[] headers = slice.Headers!;
            if (headers[0].Hash != _edgeHash)
            {
                // The slice matched a skeleton entry that does not link: both lied.
                _late.Enqueue(new PeerVerdict(slice.ServedBy!, ResponseVerdict.BrokenLink));
                BlameSkeleton(slice.Index);
                return;
            }
            if (_ready.Count > 0 && headers[0].Timestamp >= _ready[^1].Timestamp)
            {
                _late.Enqueue(new PeerVerdict(slice.ServedBy!, ResponseVerdict.FailedSanity));
                Drop(slice, slice.ServedBy!);
                return;
            }
            _ready.AddRange(headers);
            _readyBytes += slice.HeldBytes;
            _heldBytes -= slice.HeldBytes;
            _edgeHash = headers[^1].ParentHash;
            EdgeNumber = headers[^1].Number == 0 ? 0 : headers[^1].Number - 1;
            _skeleton.Remove(slice.Index);
            _window.RemoveAt(0);
            ConnectedSlices++;
        }
    }

    private void BlameSkeleton(long index)
    {
        if (_skeleton.TryGetValue(index, out SkeletonEntry entry) && entry.From is not null)
            _late.Enqueue(new PeerVerdict(entry.From, ResponseVerdict.BrokenLink));
        SkeletonResets++;
        _generation++;
        foreach (long untrusted in _skeleton.Where(e => e.Value.From is not null).Select(e => e.Key).ToList()) _skeleton.Remove(untrusted);
        _skeletonInFlight = false;
        foreach (HeaderSlice slice in _window)
        {
            if (slice.Status == HeaderSliceStatus.Verified) _heldBytes -= slice.HeldBytes;
            slice.Status = HeaderSliceStatus.Empty;
            slice.Headers = null;
            slice.HeldBytes = 0;
            slice.Suspect = null;
            slice.Excluded.Clear();
            if (entry.From is not null) slice.Excluded.Add(entry.From);
        }
    }

    private void Drop(HeaderSlice slice, PeerId from)
    {
        if (slice.Status == HeaderSliceStatus.Verified) _heldBytes -= slice.HeldBytes;
        slice.Status = HeaderSliceStatus.Empty;
        slice.Headers = null;
        slice.HeldBytes = 0;
        slice.Excluded.Add(from);
    }

    // From is null for a preverified (trusted) entry.
    private readonly record struct SkeletonEntry(Hash256 Hash, PeerId? From);
}
