using Mgr.Node.Chain;
using Mgr.Node.Devnet;
using Mgr.Node.EngineApi;
using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Devnet;

public sealed class DevnetProducerTests
{
    private sealed class UnsyncedChain : IEngineChainView
    {
        public bool IsSynced => false;

        public bool ContainsHeader(Hash256 hash) => false;
    }

    [Fact]
    public async Task Drives_an_engine_over_http_with_finality_lagging_the_head()
    {
        using var temp = new TemporaryDirectory();
        var directory = new DevnetDirectory(Path.Combine(temp.Path, "devnet"));
        DevnetGeneration.Run(directory, DevnetFixtures.Small(), 3);
        JwtSecret secret = JwtSecret.Generate();
        var events = new ConsensusEventChannel();
        await using EngineApiServer server = EngineApiServer.Start(new EngineApiHandler(new UnsyncedChain(), events),
            new JwtValidator(secret, TimeProvider.System), new EngineApiServerOptions { Port = 0 });
        using var client = new EngineApiClient(server.Address, new JwtIssuer(secret, TimeProvider.System));
        using RocksDbStore store = RocksDbStore.Open(directory.StorePath);
        using DevnetProducer producer = DevnetProducer.Open(directory, store, [client],
            new DevnetProducerOptions { FinalityLag = 4, BlockInterval = TimeSpan.FromMilliseconds(10) }, TimeProvider.System);

        var steps = new List<DevnetProducerStep>();
        await producer.RunAsync(8, steps.Add, CancellationToken.None);

        Assert.Equal(8, steps.Count);
        var received = new List<ConsensusEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (ConsensusEvent e in events.ReadEventsAsync(timeout.Token))
        {
            received.Add(e);
            if (received.OfType<HeadUpdated>().Count() == 8) break;
        }
        Assert.Equal(steps.Select(s => s.Block.Header.Hash), received.OfType<PayloadReceived>().Select(p => p.Header.Hash));
        List<HeadUpdated> heads = received.OfType<HeadUpdated>().ToList();
        for (int i = 0; i < steps.Count; i++)
        {
            DevnetProducerStep step = steps[i];
            ulong head = step.Block.Header.Number;
            Assert.Equal(11UL - 7 + (ulong)i, head);
            Assert.Equal(head - 4, step.FinalizedNumber);
            Assert.Equal(StoredChain.ReadCanonical(store, head - 4)!.Hash, heads[i].Finalized);
            Assert.Equal(StoredChain.ReadCanonical(store, step.SafeNumber)!.Hash, heads[i].Safe);
            Assert.InRange(step.SafeNumber, head - 4, head);
            Assert.Equal(step.Block.Header.Hash, heads[i].Head);
            Assert.Equal("Syncing/Syncing", Assert.Single(step.EngineResults));
        }
        using ChainLog log = ChainLog.Open(directory.ChainLogPath);
        Assert.Equal(11, log.BlockCount);
    }

    [Fact]
    public async Task Keeps_producing_when_an_engine_refuses_its_token()
    {
        using var temp = new TemporaryDirectory();
        var directory = new DevnetDirectory(Path.Combine(temp.Path, "devnet"));
        DevnetGeneration.Run(directory, DevnetFixtures.Small(), 1);
        await using EngineApiServer server = EngineApiServer.Start(new EngineApiHandler(new UnsyncedChain(), new ConsensusEventChannel()),
            new JwtValidator(JwtSecret.Generate(), TimeProvider.System), new EngineApiServerOptions { Port = 0 });
        using var client = new EngineApiClient(server.Address, new JwtIssuer(JwtSecret.Generate(), TimeProvider.System));
        using RocksDbStore store = RocksDbStore.Open(directory.StorePath);
        using DevnetProducer producer = DevnetProducer.Open(directory, store, [client], new DevnetProducerOptions(), TimeProvider.System);

        DevnetProducerStep step = await producer.ProduceAsync(CancellationToken.None);

        Assert.StartsWith("failed", Assert.Single(step.EngineResults), StringComparison.Ordinal);
        Assert.Equal(2UL, StoredChain.ReadHead(store).Number);
    }

    [Fact]
    public void Open_applies_a_block_the_log_holds_but_the_store_missed()
    {
        using var temp = new TemporaryDirectory();
        var directory = new DevnetDirectory(Path.Combine(temp.Path, "devnet"));
        DevnetGeneration.Run(directory, DevnetFixtures.Small(), 4);
        using RocksDbStore store = RocksDbStore.Open(directory.StorePath);
        DevnetBlock? logged = null;
        using (ChainLog log = ChainLog.Open(directory.ChainLogPath))
        {
            DevnetChain chain = DevnetChain.Open(store, DevnetFixtures.Small());
            // A crash after the log append and before the store commit.
            Assert.Throws<IOException>(() => chain.ProduceNext(beforeCommit: block =>
            {
                log.Append(block);
                logged = block;
                throw new IOException("simulated crash");
            }));
        }
        Assert.Equal(4UL, StoredChain.ReadHead(store).Number);

        using DevnetProducer producer = DevnetProducer.Open(directory, store, [], new DevnetProducerOptions(), TimeProvider.System);

        Assert.Equal(logged!.Header.Hash, producer.Chain.Head.Hash);
        Assert.Equal(5UL, StoredChain.ReadHead(store).Number);
    }

    [Fact]
    public void Open_refuses_a_store_that_belongs_to_another_chain()
    {
        using var temp = new TemporaryDirectory();
        var directory = new DevnetDirectory(Path.Combine(temp.Path, "devnet"));
        DevnetGeneration.Run(directory, DevnetFixtures.Small(), 2);
        using var other = new InMemoryKeyValueStore();
        Assert.Equal(2, DevnetChain.Create(other, DevnetFixtures.Small(seed: 99), temp.Path).Produce(2).Count());

        Assert.ThrowsAny<Exception>(() => DevnetProducer.Open(directory, other, [], new DevnetProducerOptions(), TimeProvider.System));
    }

    [Fact]
    public async Task Runs_in_memory_without_a_chain_log_or_engines()
    {
        using var temp = new TemporaryDirectory();
        using var store = new InMemoryKeyValueStore();
        DevnetChain chain = DevnetFixtures.SmallChain(store, temp);
        using var producer = new DevnetProducer(chain, null, [], new DevnetProducerOptions { FinalityLag = 2 }, TimeProvider.System);

        DevnetProducerStep first = await producer.ProduceAsync(CancellationToken.None);
        DevnetProducerStep second = await producer.ProduceAsync(CancellationToken.None);
        DevnetProducerStep third = await producer.ProduceAsync(CancellationToken.None);

        Assert.Equal([0UL, 0UL, 1UL], [first.FinalizedNumber, second.FinalizedNumber, third.FinalizedNumber]);
        Assert.Equal(chain.Genesis.Hash, first.FinalizedHash);
        Assert.Equal(3UL, StoredChain.ReadHead(store).Number);
        Assert.Empty(third.EngineResults);
        // Real-time timestamps: now, and strictly increasing even within one second.
        Assert.True(first.Block.Header.Timestamp >= (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60);
        Assert.True(second.Block.Header.Timestamp > first.Block.Header.Timestamp);
        Assert.True(third.Block.Header.Timestamp > second.Block.Header.Timestamp);
    }
}
