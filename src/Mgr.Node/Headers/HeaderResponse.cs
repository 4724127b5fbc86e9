using Mgr.Trie.Headers;

namespace Mgr.Node.Headers;

/// <summary>A peer's answer to a <see cref="HeaderRequest"/>, checked in isolation: decoded, numbered as asked,
/// post-merge sane and (for a slice) internally linked. Made off the feed's loop, by the task that received the
/// answer, so decoding and hashing run in parallel; the feed then only compares hashes with its neighbours.</summary>
public sealed class HeaderResponse
{
    private HeaderResponse(ResponseVerdict verdict, BlockHeader[] headers, long bytes)
    {
        Verdict = verdict;
        Headers = headers;
        Bytes = bytes;
    }

    /// <summary><see cref="ResponseVerdict.Accepted"/> when the answer is consistent in itself, else the fault.</summary>
    public ResponseVerdict Verdict { get; }

    /// <summary>The decoded headers in the order asked (empty unless accepted).</summary>
    public IReadOnlyList<BlockHeader> Headers { get; }

    /// <summary>Bytes of header RLP in the answer.</summary>
    public long Bytes { get; }

    /// <summary>Checks <paramref name="answer"/> against <paramref name="request"/> with <paramref name="now"/> as the clock.</summary>
    public static HeaderResponse Check(HeaderRequest request, IReadOnlyList<ReadOnlyMemory<byte>> answer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(answer);
        bool slice = request.Kind == HeaderRequestKind.Slice;
        if (answer.Count == 0) return Fail(ResponseVerdict.NoResponse);
        if (slice ? answer.Count != request.Query.Amount : answer.Count > request.Query.Amount) return Fail(ResponseVerdict.WrongShape);
        ulong step = (ulong)request.Query.Skip + 1;
        var headers = new BlockHeader[answer.Count];
        long bytes = 0;
        for (int j = 0; j < headers.Length; j++)
        {
            BlockHeader header;
            try
            {
                header = BlockHeader.Decode(answer[j].Span);
            }
            catch (HeaderDecodeException)
            {
                return Fail(ResponseVerdict.Malformed);
            }
            ResponseVerdict sanity = HeaderSanity.Check(header, request.Query.OriginNumber - (ulong)j * step, now);
            if (sanity != ResponseVerdict.Accepted) return Fail(sanity);
            if (j > 0)
            {
                ResponseVerdict link = slice ? HeaderSanity.CheckLink(header, headers[j - 1])
                    : header.Timestamp < headers[j - 1].Timestamp ? ResponseVerdict.Accepted : ResponseVerdict.FailedSanity;
                if (link != ResponseVerdict.Accepted) return Fail(link);
            }
            headers[j] = header;
            bytes += answer[j].Length;
        }
        return new HeaderResponse(ResponseVerdict.Accepted, headers, bytes);
    }

    private static HeaderResponse Fail(ResponseVerdict verdict) => new(verdict, [], 0);
}
