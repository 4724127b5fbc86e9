using Mgr.Trie.Building;
using Mgr.Trie.Genesis;

namespace Mgr.Trie.Tests.Genesis;

// Runs alone: the live heap is measured process-wide.
[CollectionDefinition(nameof(GenesisStreamMemoryTests), DisableParallelization = true)]
public sealed class GenesisStreamMemoryTestsAlone;

/// <summary>The streamed genesis read holds one account at a time: the live heap while it reads (measured after a full
/// collection, with no other test running) is the same for 2,000 and 200,000 accounts. Parsing the same file whole keeps
/// about 0.5 KiB per account.</summary>
[Collection(nameof(GenesisStreamMemoryTests))]
public class GenesisStreamMemoryTests
{
    [Fact]
    public void Live_memory_while_streaming_does_not_grow_with_the_accounts()
    {
        LiveBytesAtLastAccount(2_000); // warm-up: code, pools and statics
        long small = LiveBytesAtLastAccount(2_000);

        long large = LiveBytesAtLastAccount(200_000);

        Assert.True(large - small < 4 << 20, $"live heap at the last account: {small:N0} B with 2,000 accounts, {large:N0} B with 200,000");
    }

    private static long LiveBytesAtLastAccount(int accounts)
    {
        var sorter = new MeasuringSorter(accounts);
        GenesisBuilder.Build(GenesisStreamTests.SyntheticGenesis(accounts), sorter);
        return sorter.LiveBytes;
    }

    // Drops the entries (so only the reader can hold memory) and measures the live heap when the last one arrives.
    private sealed class MeasuringSorter(int accounts) : IExternalSorter
    {
        private int _added;

        public long LiveBytes { get; private set; }

        public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            if (++_added == accounts) LiveBytes = GC.GetTotalMemory(forceFullCollection: true);
        }

        public void Drain(SortedEntryHandler handler)
        {
        }
    }
}
