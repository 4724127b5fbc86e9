using Mgr.Node.Devnet;
using Mgr.Node.Headers;
using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;
using Mgr.Trie.Genesis;

namespace Mgr.Node.Tests.Devnet;

public sealed class DevnetGenerationTests
{
    private static readonly string[] Files = ["devnet.json", "genesis.json", "chain.log", "preverified-hashes.txt"];

    [Fact]
    public void The_same_arguments_give_byte_identical_files_and_the_same_summary()
    {
        using var temp = new TemporaryDirectory();
        var first = new DevnetDirectory(Path.Combine(temp.Path, "a"));
        var second = new DevnetDirectory(Path.Combine(temp.Path, "b"));

        DevnetSummary one = DevnetGeneration.Run(first, DevnetFixtures.Small(), 20);
        DevnetSummary two = DevnetGeneration.Run(second, DevnetFixtures.Small(), 20);

        Assert.Equal(one, two);
        foreach (string file in Files)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first.Root, file)), File.ReadAllBytes(Path.Combine(second.Root, file)));
        }
        Assert.False(Directory.Exists(first.TemporaryPath));
    }

    [Fact]
    public void The_directory_holds_a_consistent_devnet()
    {
        using var temp = new TemporaryDirectory();
        var directory = new DevnetDirectory(Path.Combine(temp.Path, "d"));

        DevnetSummary summary = DevnetGeneration.Run(directory, DevnetFixtures.Small(), 15);

        Assert.Equal(15UL, summary.HeadNumber);
        Assert.Equal(summary.GenesisHash, GenesisBuilder.Build(GenesisReader.Parse(File.ReadAllBytes(directory.GenesisPath))).Hash);
        using (ChainLog log = ChainLog.Open(directory.ChainLogPath))
        {
            Assert.Equal(15, log.BlockCount);
            Assert.Equal(summary.HeadHash, log.Head!.Hash);
        }
        Assert.Equal(summary.GenesisHash, Assert.Single(PreverifiedHashes.Load(directory.PreverifiedHashesPath).Entries).Value);
        Assert.Equal(DevnetFixtures.Small(), DevnetParameters.Load(directory.ParametersPath));
        using RocksDbStore store = RocksDbStore.Open(directory.StorePath);
        Assert.Equal(summary.HeadHash, StoredChain.ReadHead(store).Hash);
        Assert.Equal((summary.Accounts, summary.StateBytes), DevnetGeneration.MeasureState(store));
    }

    [Fact]
    public void Refuses_a_directory_that_already_holds_a_devnet()
    {
        using var temp = new TemporaryDirectory();
        var directory = new DevnetDirectory(Path.Combine(temp.Path, "d"));
        DevnetGeneration.Run(directory, DevnetFixtures.Small(), 1);
        byte[] genesis = File.ReadAllBytes(directory.GenesisPath);

        Assert.Throws<DevnetException>(() => DevnetGeneration.Run(directory, DevnetFixtures.Small(seed: 9), 1));
        Assert.Equal(genesis, File.ReadAllBytes(directory.GenesisPath));
    }

    [Fact]
    public void Parameters_out_of_range_are_refused_before_anything_is_written()
    {
        using var temp = new TemporaryDirectory();
        var directory = new DevnetDirectory(Path.Combine(temp.Path, "d"));

        Assert.Throws<ArgumentException>(() => DevnetGeneration.Run(directory, DevnetFixtures.Small() with { Accounts = 0 }, 1));
        Assert.False(Directory.Exists(directory.Root));
    }

    [Fact]
    public void The_preverified_hashes_hold_every_192nd_canonical_hash()
    {
        using var temp = new TemporaryDirectory();
        using var store = new InMemoryKeyValueStore();
        DevnetChain chain = DevnetChain.Create(store, DevnetFixtures.Small() with { OperationsPerBlock = 1 }, temp.Path);
        Assert.Equal(400, chain.Produce(400).Count());
        string path = Path.Combine(temp.Path, "preverified-hashes.txt");

        DevnetGeneration.WritePreverifiedHashes(store, chain.Head.Number, path);

        IReadOnlyDictionary<ulong, Mgr.Trie.Primitives.Hash256> entries = PreverifiedHashes.Load(path).Entries;
        Assert.Equal([0UL, 192UL, 384UL], entries.Keys);
        Assert.Equal(chain.Genesis.Hash, entries[0]);
        Assert.Equal(StoredChain.ReadCanonical(store, 192)!.Hash, entries[192]);
        Assert.Equal(StoredChain.ReadCanonical(store, 384)!.Hash, entries[384]);
        Assert.False(File.Exists(path + ".tmp"));
    }
}
