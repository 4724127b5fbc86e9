using Mgr.Node.Headers;
using Mgr.Node.Stages;
using Mgr.Node.Storage;
using Mgr.Node.Tests.Headers;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Stages;

public sealed class HeadersStageTests : StageContractTests<HeadersStage>
{
    private const int Length = 3000;
    private const ulong CheckpointNumber = 500;
    private static readonly BlockHeader[] Chain = HeaderChainGenerator.Generate(Length, seed: 11);
    private static readonly byte[][] Encoded = FakeHeaderPeer.Encode(Chain);
    private static readonly HeaderSyncOptions Options = new() { HeadersPerStep = 2 * ReverseHeaderFeed.SliceSize, MemoryLimitBytes = 1 << 20 };

    protected override ulong Target => Length - 1;

    protected override ulong UnwindPoint => 1500;

    protected override HeadersStage CreateStage(IKeyValueStore store)
    {
        var target = new HeaderSyncTarget(HeaderChainGenerator.Checkpoint(Chain[CheckpointNumber]));
        target.Advance(Chain[^1]);
        FakeHeaderPeer[] peers = [new(1, Chain, Encoded), new(2, Chain, Encoded), new(3, Chain, Encoded)];
        return new HeadersStage(store, target, new HeaderDispatcher(peers, Options), Options);
    }

    protected override void AssertComplete(IKeyValueStore store, ulong block) => AssertCanonical(store, Chain, CheckpointNumber, block);

    public static void AssertCanonical(IKeyValueReader store, BlockHeader[] chain, ulong from, ulong to)
    {
        for (ulong n = from; n <= to; n++)
        {
            Assert.True(HeaderStore.TryReadCanonical(store, n, out Hash256 hash), $"no canonical header at {n}");
            Assert.Equal(chain[n].Hash, hash);
        }
        Assert.False(HeaderStore.TryReadCanonical(store, from - 1, out _));
    }
}
