using System.Text.Json.Nodes;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Protocol.Tests.Messages;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Tests.Ranges;

public sealed class KeyRangeSetTests
{
    private static readonly Hash256 Max = Hash256.MaxValue;

    private static Hash256 Top(ulong top) => new(top, 0, 0, 0);

    private static KeyRange R(Hash256 start, Hash256 end) => new(start, end);

    private static byte[] Encode(KeyRangeSet set)
    {
        var bytes = new byte[set.EncodedLength()];
        var writer = new RlpWriter(bytes);
        set.WriteTo(ref writer);
        Assert.Equal(bytes.Length, writer.Written);
        return bytes;
    }

    private static KeyRangeSet Decode(byte[] bytes)
    {
        var reader = new RlpReader(bytes);
        KeyRangeSet set = KeyRangeSet.Read(ref reader);
        reader.EnsureEnd();
        return set;
    }

    // ---- naive model: a list of intervals, membership by scanning -------------------------------------------

    private static bool ModelContains(IEnumerable<KeyRange> model, Hash256 key) => model.Any(range => range.Contains(key));

    private static Hash256 RandomKey(Random random)
    {
        switch (random.Next(4))
        {
            case 0: // nibble-aligned boundaries, so intervals overlap and touch often
                ulong nibble = (ulong)random.Next(16) << 60;
                return random.Next(2) == 0 ? new Hash256(nibble, 0, 0, 0) : new Hash256(nibble | 0x0fffffffffffffff, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);
            case 1:
                return random.Next(2) == 0 ? new Hash256(0, 0, 0, (ulong)random.Next(3)) : new Hash256(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue - (ulong)random.Next(3));
            default:
                var bytes = new byte[32];
                random.NextBytes(bytes);
                return new Hash256(bytes);
        }
    }

    private static List<KeyRange> RandomModel(Random random)
    {
        var model = new List<KeyRange>();
        int count = random.Next(0, 8);
        for (int i = 0; i < count; i++)
        {
            Hash256 a = RandomKey(random), b = RandomKey(random);
            model.Add(a <= b ? R(a, b) : R(b, a));
        }
        return model;
    }

    // Membership of an interval set can only change at an interval boundary, so checking every boundary and its
    // neighbours (plus a few random keys) decides equality of two sets.
    private static IEnumerable<Hash256> Probes(IEnumerable<KeyRange> ranges, Random random)
    {
        foreach (KeyRange range in ranges)
        {
            yield return range.Start;
            yield return range.End;
            yield return range.Start.Decrement();
            yield return range.End.Increment();
        }
        for (int i = 0; i < 8; i++) yield return RandomKey(random);
        yield return Hash256.Zero;
        yield return Max;
    }

    private static void AssertCanonical(KeyRangeSet set)
    {
        ReadOnlySpan<KeyRange> intervals = set.Intervals;
        for (int i = 1; i < intervals.Length; i++)
        {
            Assert.NotEqual(Max, intervals[i - 1].End);
            Assert.True(intervals[i - 1].End.Increment() < intervals[i].Start, "intervals must be sorted, disjoint and non-adjacent");
        }
    }

    public static TheoryData<int> Seeds() => [1, 2, 3, 4, 5, 6, 7, 8];

    [Theory, MemberData(nameof(Seeds))]
    public void Set_operations_agree_with_the_naive_model(int seed)
    {
        var random = new Random(seed);
        for (int iteration = 0; iteration < 300; iteration++)
        {
            List<KeyRange> a = RandomModel(random), b = RandomModel(random);
            KeyRangeSet setA = KeyRangeSet.From(a), setB = KeyRangeSet.From(b);

            KeyRangeSet union = setA.Union(setB), intersection = setA.Intersect(setB), difference = setA.Except(setB), complement = setA.Complement();

            foreach (KeyRangeSet result in new[] { setA, union, intersection, difference, complement }) AssertCanonical(result);
            KeyRange[] all = [.. a, .. b, .. union.Intervals.ToArray(), .. intersection.Intervals.ToArray(), .. difference.Intervals.ToArray(), .. complement.Intervals.ToArray()];
            foreach (Hash256 key in Probes(all, random))
            {
                bool inA = ModelContains(a, key), inB = ModelContains(b, key);
                Assert.Equal(inA, setA.Contains(key));
                Assert.Equal(inA || inB, union.Contains(key));
                Assert.Equal(inA && inB, intersection.Contains(key));
                Assert.Equal(inA && !inB, difference.Contains(key));
                Assert.Equal(!inA, complement.Contains(key));
            }
        }
    }

    [Theory, MemberData(nameof(Seeds))]
    public void Canonical_form_does_not_depend_on_input_order(int seed)
    {
        var random = new Random(seed);
        for (int iteration = 0; iteration < 200; iteration++)
        {
            List<KeyRange> model = RandomModel(random);
            KeyRange[] shuffled = [.. model.OrderBy(_ => random.Next())];

            Assert.Equal(KeyRangeSet.From(model), KeyRangeSet.From(shuffled));
            Assert.Equal(KeyRangeSet.From(model), KeyRangeSet.Empty.Union(KeyRangeSet.From(shuffled)));
        }
    }

    [Theory, MemberData(nameof(Seeds))]
    public void Encoding_round_trips_and_measures_what_it_writes(int seed)
    {
        var random = new Random(seed);
        for (int iteration = 0; iteration < 200; iteration++)
        {
            KeyRangeSet set = KeyRangeSet.From(RandomModel(random));

            KeyRangeSet decoded = Decode(Encode(set));

            Assert.Equal(set, decoded);
        }
    }

    [Theory, MemberData(nameof(Seeds))]
    public void Coverage_is_additive(int seed)
    {
        var random = new Random(seed);
        for (int iteration = 0; iteration < 200; iteration++)
        {
            KeyRangeSet a = KeyRangeSet.From(RandomModel(random)), b = KeyRangeSet.From(RandomModel(random));

            double union = a.Union(b).Coverage, sum = a.Coverage + b.Coverage - a.Intersect(b).Coverage;

            Assert.Equal(sum, union, 1e-9);
            Assert.Equal(1.0, a.Coverage + a.Complement().Coverage, 1e-9);
        }
    }

    [Theory, MemberData(nameof(Seeds))]
    public void Range_containment_agrees_with_the_naive_model(int seed)
    {
        var random = new Random(seed);
        for (int iteration = 0; iteration < 300; iteration++)
        {
            List<KeyRange> model = RandomModel(random);
            KeyRangeSet set = KeyRangeSet.From(model);
            Hash256 x = RandomKey(random), y = RandomKey(random);
            KeyRange query = x <= y ? R(x, y) : R(y, x);

            KeyRange[] boundaries = [.. model, query];
            Hash256[] inside = [.. Probes(boundaries, random).Where(query.Contains)];
            bool modelCovers = inside.All(key => ModelContains(model, key));
            bool modelOverlaps = inside.Any(key => ModelContains(model, key));

            Assert.Equal(modelCovers, set.Contains(query));
            Assert.Equal(modelOverlaps, set.Overlaps(query));
        }
    }

    [Fact]
    public void Merges_touching_intervals()
    {
        KeyRangeSet set = KeyRangeSet.From([R(Top(0), Top(1).Decrement()), R(Top(1), Top(2))]);

        Assert.Equal(KeyRangeSet.Of(R(Top(0), Top(2))), set);
    }

    [Fact]
    public void Covers_a_sixteenth_with_one_depth_one_chunk()
    {
        KeyRangeSet set = KeyRangeSet.Of(R(Top(0x3000000000000000), new Hash256(0x3fffffffffffffff, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue)));

        Assert.Equal(1.0 / 16, set.Coverage, 1e-15);
    }

    [Fact]
    public void Encodes_the_full_and_empty_sets_compactly()
    {
        Assert.Equal("c3c28080", Convert.ToHexStringLower(Encode(KeyRangeSet.Full)));
        Assert.Equal("c0", Convert.ToHexStringLower(Encode(KeyRangeSet.Empty)));
    }

    [Fact]
    public void Encodes_a_depth_four_chunk_in_two_bytes_per_boundary()
    {
        var chunk = R(new Hash256(0xab12UL << 48, 0, 0, 0), new Hash256((0xab12UL << 48) | 0xffffffffffff, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue));

        Assert.Equal("c7c682ab1282ab12", Convert.ToHexStringLower(Encode(KeyRangeSet.Of(chunk))));
    }

    [Fact]
    public void Trims_each_boundary_after_its_last_byte_that_is_not_padding_at_every_position()
    {
        for (int length = 1; length <= 32; length++)
        {
            var start = new byte[32];
            var end = Enumerable.Repeat((byte)0xff, 32).ToArray();
            start[length - 1] = 0x01;
            end[length - 1] = 0xfe;
            KeyRangeSet set = KeyRangeSet.Of(R(new Hash256(start), new Hash256(end)));

            byte[] encoded = Encode(set);

            // start (a single byte below 0x80 is its own encoding) and end (0xfe needs a header), in a pair, in the set
            int pair = (length == 1 ? 1 : 1 + length) + 1 + length;
            int expected = Rlp.LengthOfList(Rlp.LengthOfList(pair));
            Assert.Equal(expected, encoded.Length);
            Assert.Equal(set, Decode(encoded));
        }
    }

    public static TheoryData<string, ViolationReason> Malformed() => new()
    {
        { "c4c3811080", ViolationReason.NonCanonical },             // start 0x10 wrapped as a one-byte string
        { "c3c28210", ViolationReason.Truncated },
        { "c5c4821000" + "80", ViolationReason.NonCanonical },      // start ends in 0x00
        { "c4c38081ff", ViolationReason.NonCanonical },             // end ends in 0xff
        { "c6c28080c28080", ViolationReason.InvalidRangeSet },      // full set twice: overlap
        { "c6c2802fc23080", ViolationReason.InvalidRangeSet },      // [0, 0x2fff..] then [0x30.., max]: adjacent
        { "c6c23080c28020", ViolationReason.InvalidRangeSet },      // unsorted
        { "c3c23020", ViolationReason.InvalidRangeSet },            // start after end
        { "e4e3a1" + "01" + "0000000000000000000000000000000000000000000000000000000000000001" + "80", ViolationReason.WrongType },
    };

    [Theory, MemberData(nameof(Malformed))]
    public void Rejects_non_canonical_encodings(string hex, ViolationReason reason)
    {
        byte[] bytes = Convert.FromHexString(hex);

        ProtocolViolationException error = Assert.Throws<ProtocolViolationException>(() =>
        {
            try
            {
                Decode(bytes);
            }
            catch (RlpException rlp)
            {
                throw ProtocolViolationException.FromRlp("ranges", rlp);
            }
        });

        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void Rejects_more_intervals_than_the_limit()
    {
        KeyRangeSet set = KeyRangeSet.From(Enumerable.Range(0, Limits.MaxHaveIntervals + 1).Select(i => R(new Hash256(0, 0, (ulong)i, 0), new Hash256(0, 0, (ulong)i, 0))));
        byte[] bytes = Encode(set);

        ProtocolViolationException error = Assert.Throws<ProtocolViolationException>(() => Decode(bytes));

        Assert.Equal(ViolationReason.TooManyItems, error.Reason);
    }

    [Fact]
    public void Matches_the_golden_range_vectors()
    {
        (string Name, KeyRangeSet Set)[] samples =
        [
            ("empty", KeyRangeSet.Empty),
            ("full", KeyRangeSet.Full),
            ("depth-2-chunk-5a", KeyRangeSet.Of(R(Top(0x5a00000000000000), new Hash256(0x5affffffffffffff, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue)))),
            ("two-arcs", KeyRangeSet.From([R(Top(0xf000000000000000), Max), R(Hash256.Zero, new Hash256(0x0fffffffffffffff, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue)), R(Top(0x8000000000000000), new Hash256(0x8000000000000000, 0, 0, 41))])),
        ];

        JsonNode vectors = VectorFiles.Load("ranges.json", () => new JsonArray([.. samples.Select(sample => (JsonNode)new JsonObject
        {
            ["name"] = sample.Name,
            ["intervals"] = new JsonArray([.. sample.Set.Intervals.ToArray().Select(range => (JsonNode)new JsonArray(range.Start.ToString(), range.End.ToString()))]),
            ["encoding"] = MessageJson.Hex(Encode(sample.Set)),
        })]));

        foreach ((string name, KeyRangeSet set) in samples)
        {
            JsonNode vector = vectors.AsArray().Single(item => (string)item!["name"]! == name)!;
            byte[] encoding = Convert.FromHexString(((string)vector["encoding"]!)[2..]);
            KeyRangeSet fromIntervals = KeyRangeSet.From(vector["intervals"]!.AsArray().Select(pair => R(Hash256.Parse((string)pair![0]!), Hash256.Parse((string)pair[1]!))));
            Assert.Equal(encoding, Encode(set));
            Assert.Equal(set, Decode(encoding));
            Assert.Equal(set, fromIntervals);
        }
    }
}
