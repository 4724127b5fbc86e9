using System.Text.Json.Nodes;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Ranges;
using Mgr.Protocol.Tests.Messages;
using Mgr.Trie.Primitives;

namespace Mgr.Protocol.Tests.Chunking;

public sealed class KeyspacePartitionTests
{
    private static Hash256[] RandomKeys(int count, int seed)
    {
        var random = new Random(seed);
        var keys = new Hash256[count];
        var bytes = new byte[32];
        for (int i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            keys[i] = new Hash256(bytes);
        }
        return keys;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Chunks_tile_the_keyspace_without_gap_or_overlap(int depth)
    {
        var partition = new KeyspacePartition(depth);

        Assert.Equal(Hash256.Zero, partition.ChunkAt(0).Range.Start);
        Assert.Equal(Hash256.MaxValue, partition.ChunkAt(partition.ChunkCount - 1).Range.End);
        for (ulong i = 1; i < partition.ChunkCount; i++)
            Assert.Equal(partition.ChunkAt(i - 1).Range.End.Increment(), partition.ChunkAt(i).Range.Start);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(10_000, 3)]
    [InlineData(100_000, 4)]
    [InlineData(1_000_000, 5)]
    public void Every_key_of_a_state_falls_in_exactly_one_chunk_at_the_selected_depth(int accounts, int seed)
    {
        Hash256[] keys = RandomKeys(accounts, seed);
        var partition = new KeyspacePartition(ChunkDepth.Select((ulong)accounts));
        var counts = new int[partition.ChunkCount];

        foreach (Hash256 key in keys)
        {
            ulong index = partition.IndexOf(key);
            ChunkId chunk = partition.ChunkAt(index);
            Assert.True(chunk.Contains(key));
            Assert.True(chunk.Range.Contains(key));
            if (index > 0) Assert.False(partition.ChunkAt(index - 1).Range.Contains(key));
            if (index + 1 < partition.ChunkCount) Assert.False(partition.ChunkAt(index + 1).Range.Contains(key));
            counts[index]++;
        }

        Assert.Equal(accounts, counts.Sum());
        if (accounts > 0) Assert.True(counts.Max() <= 4 * Mgr.Protocol.Messages.Limits.TargetLeavesPerChunk * 1.25, $"largest chunk holds {counts.Max()} keys");
    }

    [Fact]
    public void Two_builds_of_the_same_keys_give_identical_chunk_assignments()
    {
        Hash256[] keys = RandomKeys(50_000, 42);
        Hash256[] shuffled = [.. keys.OrderBy(key => key.Word(3))];

        var first = Assign(keys);
        var second = Assign(shuffled);

        Assert.Equal(first, second);
    }

    private static SortedDictionary<ChunkId, KeyRangeSet> Assign(Hash256[] keys)
    {
        var partition = new KeyspacePartition(ChunkDepth.Select((ulong)keys.Length));
        var byChunk = new Dictionary<ChunkId, List<KeyRange>>();
        foreach (Hash256 key in keys)
        {
            ChunkId chunk = partition.ChunkOf(key);
            if (!byChunk.TryGetValue(chunk, out var list)) byChunk[chunk] = list = [];
            list.Add(new KeyRange(key, key));
        }
        var result = new SortedDictionary<ChunkId, KeyRangeSet>(Comparer<ChunkId>.Create((a, b) => a.Path.CompareTo(b.Path)));
        foreach ((ChunkId chunk, List<KeyRange> list) in byChunk) result[chunk] = KeyRangeSet.From(list);
        return result;
    }

    [Fact]
    public void Matches_the_golden_chunking_vectors()
    {
        ulong[] leafCounts = [0, 8_192, 8_193, 10_000, 1_000_000, 300_000_000];
        Hash256 start = Hash256.Parse("0x5260167b3d7e0b30dfd9caa85c6d4c9a54063aae3c0584ef7c3b4aee3f2b867f");

        JsonNode vectors = VectorFiles.Load("chunking.json", () => new JsonObject
        {
            ["depth_selection"] = new JsonArray([.. leafCounts.Select(n => (JsonNode)new JsonObject { ["leaves"] = n, ["depth"] = ChunkDepth.Select(n) })]),
            ["ride"] = new JsonObject
            {
                ["start_key"] = start.ToString(),
                ["depth"] = 1,
                ["order"] = new JsonArray([.. Ride(start, 1).Select(path => (JsonNode)path)]),
                ["depth_2_first_5"] = new JsonArray([.. Ride(start, 2).Take(5).Select(path => (JsonNode)path)]),
            },
        });

        foreach (JsonNode? item in vectors["depth_selection"]!.AsArray())
            Assert.Equal((int)item!["depth"]!, ChunkDepth.Select((ulong)item["leaves"]!));
        Assert.Equal(vectors["ride"]!["order"]!.AsArray().Select(node => (string)node!), Ride(Hash256.Parse((string)vectors["ride"]!["start_key"]!), 1));
        Assert.Equal(vectors["ride"]!["depth_2_first_5"]!.AsArray().Select(node => (string)node!), Ride(start, 2).Take(5));
    }

    private static List<string> Ride(Hash256 start, int depth)
    {
        var order = new List<string>();
        foreach (ChunkId chunk in new KeyspacePartition(depth).RideFrom(start)) order.Add(chunk.Path.ToString()[..(2 + depth)]);
        return order;
    }
}
