using Mgr.Node.Headers;
using Mgr.Node.Storage;
using Mgr.Protocol.Messages;
using Mgr.Trie.Crypto;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Headers;

public sealed class HeaderServerTests : IDisposable
{
    private static readonly BlockHeader[] Chain = HeaderChainGenerator.Generate(1_000, seed: 51);
    private readonly InMemoryKeyValueStore _store = new();

    public HeaderServerTests()
    {
        using IWriteBatch batch = _store.BeginBatch();
        for (int n = 100; n < 1_000; n++)
        {
            HeaderStore.Write(batch, (ulong)n, Chain[n].Hash, Chain[n].Encode());
            HeaderStore.WriteCanonical(batch, (ulong)n, Chain[n].Hash);
        }
        batch.Commit();
    }

    public void Dispose() => _store.Dispose();

    private static Hash256[] Hashes(BlockHeaders answer) => [.. answer.Headers.Select(h => Keccak256.Compute(h.Span))];

    [Fact]
    public void Serves_a_reverse_skeleton_with_skip()
    {
        BlockHeaders answer = HeaderServer.Serve(_store, new GetBlockHeaders(9, null, 999, 4, 191, Reverse: true));

        Assert.Equal(9UL, answer.RequestId);
        Assert.Equal([Chain[999].Hash, Chain[807].Hash, Chain[615].Hash, Chain[423].Hash], Hashes(answer));
    }

    [Fact]
    public void Serves_forward_from_a_hash_origin()
    {
        BlockHeaders answer = HeaderServer.Serve(_store, new GetBlockHeaders(1, Chain[500].Hash, 0, 3, 0, Reverse: false));

        Assert.Equal([Chain[500].Hash, Chain[501].Hash, Chain[502].Hash], Hashes(answer));
    }

    [Fact]
    public void Stops_at_the_first_header_it_does_not_hold()
    {
        BlockHeaders answer = HeaderServer.Serve(_store, new GetBlockHeaders(1, null, 102, 10, 0, Reverse: true));

        Assert.Equal(3, answer.Headers.Count);
    }

    [Fact]
    public void Answers_an_unknown_origin_hash_with_no_headers()
    {
        Assert.Empty(HeaderServer.Serve(_store, new GetBlockHeaders(1, Hash256.MaxValue, 0, 5, 0, false)).Headers);
    }

    [Fact]
    public void Never_serves_more_than_the_protocol_limit()
    {
        BlockHeaders answer = HeaderServer.Serve(_store, new GetBlockHeaders(1, null, 100, ulong.MaxValue, 0, Reverse: false));

        Assert.Equal(900, answer.Headers.Count);
        Assert.True(answer.Headers.Count <= Limits.MaxHeadersPerRequest);
    }
}
