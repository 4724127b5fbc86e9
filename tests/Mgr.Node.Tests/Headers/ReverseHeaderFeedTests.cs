using Mgr.Node.Headers;
using Mgr.Protocol.Identity;
using Mgr.Trie.Headers;

namespace Mgr.Node.Tests.Headers;

public sealed class ReverseHeaderFeedTests
{
    private static readonly BlockHeader[] Chain = HeaderChainGenerator.Generate(2_000, seed: 21);
    private static readonly byte[][] Encoded = FakeHeaderPeer.Encode(Chain);
    private readonly FakeHeaderPeer _a = new(1, Chain, Encoded), _b = new(2, Chain, Encoded), _c = new(3, Chain, Encoded);

    private static ReverseHeaderFeed Feed(long memory = 1 << 20) => new(1_999, Chain[1_999].Hash, 100, memory);

        private static HeaderResponse Checked(HeaderRequest request, IReadOnlyList<ReadOnlyMemory<byte>> answer) =>
        HeaderResponse.Check(request, answer, DateTimeOffset.UtcNow);

    // A feed whose skeleton came from _b with a false entry for slice 2; the edge slice, slice 1 and slice 2 are asked.
    private async Task<(ReverseHeaderFeed Feed, HeaderRequest Edge, HeaderRequest Slice1, HeaderRequest Slice2)> WithSkeletonLyingAboutSlice2()
    {
        BlockHeader[] fork = HeaderChainGenerator.Fork(Chain, 1, 2_000, seed: 5);
        ReverseHeaderFeed feed = Feed();
        HeaderRequest skeleton = await Next(feed), edge = await Next(feed);
        List<ReadOnlyMemory<byte>> lying = [.. _b.Honest(skeleton.Query)];
        lying[1] = fork[1_999 - 384].Encode();
        feed.Accept(skeleton, Checked(skeleton, lying), _b.Id);
        HeaderRequest slice1 = await Next(feed), slice2 = await Next(feed);
        return (feed, edge, slice1, slice2);
    }

    // Honest answers from `peer` for the edge slice and slice 1: both connect, so slice 2 is next, judged by the edge.
    private static void ConnectEdgeAndSlice1(ReverseHeaderFeed feed, HeaderRequest edge, HeaderRequest slice1, FakeHeaderPeer peer)
    {
        Assert.Equal(ResponseVerdict.Accepted, feed.Accept(edge, Checked(edge, peer.Honest(edge.Query)), peer.Id));
        Assert.Equal(ResponseVerdict.Accepted, feed.Accept(slice1, Checked(slice1, peer.Honest(slice1.Query)), peer.Id));
    }

    private static async Task<HeaderRequest?> TryNext(ReverseHeaderFeed feed) => await feed.NextAsync(CancellationToken.None);

    private static async Task<HeaderRequest> Next(ReverseHeaderFeed feed) => (await TryNext(feed))!;

    [Fact]
    public async Task Asks_for_a_skeleton_with_skip_191_then_the_edge_slice()
    {
        ReverseHeaderFeed feed = Feed();

        HeaderRequest first = await Next(feed), second = await Next(feed);

        Assert.Equal(HeaderRequestKind.Skeleton, first.Kind);
        Assert.Equal(new HeaderQuery(1_999 - 192, 9, 191, true), first.Query);
        Assert.Equal(new HeaderQuery(1_999, 192, 0, true), second.Query);
    }

    [Fact]
    public async Task Connects_a_verified_edge_slice_and_moves_the_edge_to_its_parent()
    {
        ReverseHeaderFeed feed = Feed();
        await Next(feed); // the skeleton
        HeaderRequest request = await Next(feed);

        ResponseVerdict verdict = feed.Accept(request, Checked(request, _a.Honest(request.Query)), _a.Id);

        Assert.Equal(ResponseVerdict.Accepted, verdict);
        Assert.Equal(192, feed.ReadyCount);
        Assert.Equal(Chain[1_999 - 192].Hash, feed.EdgeHash);
        Assert.Equal(Chain[1_999].Hash, feed.TakeReady()[0].Hash);
    }

    [Fact]
    public async Task Penalizes_a_slice_with_a_broken_link_and_asks_another_peer()
    {
        ReverseHeaderFeed feed = Feed();
        await Next(feed); // the skeleton
        HeaderRequest request = await Next(feed);
        List<ReadOnlyMemory<byte>> answer = [.. _a.Honest(request.Query)];
        answer.RemoveAt(10);
        answer.Add(Encoded[1_999 - 192]);

        ResponseVerdict verdict = feed.Accept(request, Checked(request, answer), _a.Id);
        HeaderRequest again = await Next(feed);

        Assert.Equal(ResponseVerdict.WrongShape, verdict);
        Assert.Equal(request.Query, again.Query);
        Assert.Contains(_a.Id, again.Excluded);
    }

    [Fact]
    public async Task Rejects_a_header_that_breaks_post_merge_rules()
    {
        ReverseHeaderFeed feed = Feed();
        await Next(feed); // the skeleton
        HeaderRequest request = await Next(feed);
        List<ReadOnlyMemory<byte>> answer = [.. _a.Honest(request.Query)];
        BlockHeader h = Chain[1_999];
        answer[0] = new BlockHeader
        {
            ParentHash = h.ParentHash, Coinbase = h.Coinbase, StateRoot = h.StateRoot, Difficulty = 1, Number = h.Number,
            GasLimit = h.GasLimit, GasUsed = h.GasUsed, Timestamp = h.Timestamp, MixHash = h.MixHash, Nonce = 0,
            BaseFeePerGas = h.BaseFeePerGas, WithdrawalsRoot = h.WithdrawalsRoot, BlobGasUsed = 0, ExcessBlobGas = 0,
            ParentBeaconBlockRoot = h.ParentBeaconBlockRoot,
        }.Encode();

        Assert.Equal(ResponseVerdict.FailedSanity, feed.Accept(request, Checked(request, answer), _a.Id));
    }

    [Fact]
    public async Task Treats_undecodable_headers_as_malformed()
    {
        ReverseHeaderFeed feed = Feed();
        await Next(feed); // the skeleton
        HeaderRequest request = await Next(feed);
        List<ReadOnlyMemory<byte>> answer = [.. _a.Honest(request.Query)];
        answer[5] = new byte[] { 0xc1, 0xff, 0x00 };

        Assert.Equal(ResponseVerdict.Malformed, feed.Accept(request, Checked(request, answer), _a.Id));
    }

    [Fact]
    public async Task Rejects_a_skeleton_whose_first_header_is_not_the_trusted_edge()
    {
        var feed = new ReverseHeaderFeed(1_999, Chain[1_999].Hash, 100, 1 << 20);
        HeaderRequest skeleton = await Next(feed);
        HeaderRequest slice = await Next(feed);
        feed.Accept(slice, null, _a.Id);
        HeaderRequest skeletonAtEdge = new(HeaderRequestKind.Skeleton, 0, 2, new HeaderQuery(1_999, 2, 191, true), new HashSet<PeerId>(), 0);
        BlockHeader[] other = HeaderChainGenerator.Generate(2_000, seed: 99);

        ResponseVerdict verdict = feed.Accept(skeletonAtEdge, Checked(skeletonAtEdge, [other[1_999].Encode(), other[1_999 - 192].Encode()]), _b.Id);

        Assert.Equal(ResponseVerdict.BrokenLink, verdict);
        Assert.Equal(HeaderRequestKind.Skeleton, skeleton.Kind);
    }

    [Fact]
    public async Task Blames_the_skeleton_when_two_peers_disagree_with_it()
    {
        (ReverseHeaderFeed feed, HeaderRequest edge, HeaderRequest slice1, HeaderRequest slice2) = await WithSkeletonLyingAboutSlice2();
        feed.Accept(edge, Checked(edge, _a.Honest(edge.Query)), _a.Id);

        ResponseVerdict firstOpinion = feed.Accept(slice2, Checked(slice2, _a.Honest(slice2.Query)), _a.Id);
        HeaderRequest retry = await Next(feed);
        ResponseVerdict secondOpinion = feed.Accept(retry, Checked(retry, _c.Honest(retry.Query)), _c.Id);

        Assert.Equal(1_999UL - 192, slice1.Query.OriginNumber);
        Assert.Equal(ResponseVerdict.Unconfirmed, firstOpinion);
        Assert.Equal(slice2.Query, retry.Query);
        Assert.Contains(_a.Id, retry.Excluded);
        Assert.Equal(ResponseVerdict.Accepted, secondOpinion);
        Assert.True(feed.TryTakeLateVerdict(out PeerVerdict late));
        Assert.Equal(new PeerVerdict(_b.Id, ResponseVerdict.BrokenLink), late);
        Assert.Equal(1, feed.SkeletonResets);
    }

    [Fact]
    public async Task Blames_the_skeleton_when_the_second_opinion_is_checked_against_the_edge_because_the_slices_above_connected()
    {
        (ReverseHeaderFeed feed, HeaderRequest edge, HeaderRequest slice1, HeaderRequest slice2) = await WithSkeletonLyingAboutSlice2();
        ResponseVerdict firstOpinion = feed.Accept(slice2, Checked(slice2, _a.Honest(slice2.Query)), _a.Id);
        HeaderRequest retry = await Next(feed);

        // Slices 0 and 1 connect before the retry of slice 2 is answered: it is then judged against the edge.
        ConnectEdgeAndSlice1(feed, edge, slice1, _a);
        ResponseVerdict secondOpinion = feed.Accept(retry, Checked(retry, _c.Honest(retry.Query)), _c.Id);

        Assert.Equal(ResponseVerdict.Unconfirmed, firstOpinion);
        Assert.Equal(slice2.Query, retry.Query);
        Assert.Equal(ResponseVerdict.Accepted, secondOpinion);
        Assert.True(feed.TryTakeLateVerdict(out PeerVerdict late));
        Assert.Equal(new PeerVerdict(_b.Id, ResponseVerdict.BrokenLink), late); // not the honest first opinion
        Assert.False(feed.TryTakeLateVerdict(out _));
        Assert.Equal(1, feed.SkeletonResets);
        Assert.Equal(3 * 192, feed.ReadyCount); // the edge-checked slice is kept
    }

    [Fact]
    public async Task Blames_a_skeleton_entry_that_an_edge_checked_slice_disproves_though_nobody_disagreed_before()
    {
        (ReverseHeaderFeed feed, HeaderRequest edge, HeaderRequest slice1, HeaderRequest slice2) = await WithSkeletonLyingAboutSlice2();

        ConnectEdgeAndSlice1(feed, edge, slice1, _a);
        ResponseVerdict verdict = feed.Accept(slice2, Checked(slice2, _a.Honest(slice2.Query)), _a.Id);

        Assert.Equal(ResponseVerdict.Accepted, verdict);
        Assert.True(feed.TryTakeLateVerdict(out PeerVerdict late));
        Assert.Equal(new PeerVerdict(_b.Id, ResponseVerdict.BrokenLink), late);
        Assert.Equal(1, feed.SkeletonResets);
        Assert.Equal(3 * 192, feed.ReadyCount);
    }

    [Fact]
    public async Task Blames_the_first_opinion_when_the_edge_checked_second_opinion_matches_the_skeleton()
    {
        ReverseHeaderFeed feed = Feed();
        HeaderRequest skeleton = await Next(feed), edge = await Next(feed);
        feed.Accept(skeleton, Checked(skeleton, _b.Honest(skeleton.Query)), _b.Id);
        HeaderRequest slice1 = await Next(feed), slice2 = await Next(feed);
        var other = new FakeHeaderPeer(4, HeaderChainGenerator.Fork(Chain, 1, 2_000, seed: 6));
        IReadOnlyList<ReadOnlyMemory<byte>> forged = other.Honest(slice2.Query); // a whole slice of another chain
        ResponseVerdict firstOpinion = feed.Accept(slice2, Checked(slice2, forged), _a.Id);
        HeaderRequest retry = await Next(feed);

        ConnectEdgeAndSlice1(feed, edge, slice1, _c);
        ResponseVerdict secondOpinion = feed.Accept(retry, Checked(retry, _c.Honest(retry.Query)), _c.Id);

        Assert.Equal(ResponseVerdict.Unconfirmed, firstOpinion);
        Assert.Equal(ResponseVerdict.Accepted, secondOpinion);
        Assert.True(feed.TryTakeLateVerdict(out PeerVerdict late));
        Assert.Equal(new PeerVerdict(_a.Id, ResponseVerdict.BrokenLink), late);
        Assert.Equal(0, feed.SkeletonResets);
        Assert.Equal(3 * 192, feed.ReadyCount);
    }

    [Fact]
    public async Task Keeps_requests_within_the_memory_limit()
    {
        ReverseHeaderFeed feed = Feed(memory: 2L * ReverseHeaderFeed.SliceSize * ReverseHeaderFeed.EstimatedHeaderBytes);
        HeaderRequest skeleton = await Next(feed), edge = await Next(feed);
        feed.Accept(skeleton, Checked(skeleton, _a.Honest(skeleton.Query)), _a.Id);

        HeaderRequest? second = await Next(feed);
        HeaderRequest? third = await TryNext(feed);

        Assert.Equal(HeaderRequestKind.Slice, edge.Kind);
        Assert.NotNull(second);
        Assert.Null(third);
    }

    [Fact]
    public async Task Completes_after_the_lowest_slice_connects()
    {
        var feed = new ReverseHeaderFeed(299, Chain[299].Hash, 200, 1 << 20);
        HeaderRequest only = await Next(feed);

        feed.Accept(only, Checked(only, _a.Honest(only.Query)), _a.Id);

        Assert.Equal(100, only.Query.Amount);
        Assert.True(feed.IsComplete);
        Assert.Equal(Chain[199].Hash, feed.EdgeHash);
    }
}
