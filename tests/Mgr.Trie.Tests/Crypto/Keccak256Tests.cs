using System.Text.Json;
using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.Tests.TestData;
using Org.BouncyCastle.Crypto.Digests;

namespace Mgr.Trie.Tests.Crypto;

public class Keccak256Tests
{
    private static readonly int[] AllocationProbeLengths = [0, 1, 32, 135, 136, 137, 532, 5000];

    public static TheoryData<string, string, string> ShortMessages() => KatVectors("ShortMsgKAT_256.txt");

    public static TheoryData<string, string, string> LongMessages() => KatVectors("LongMsgKAT_256.txt");

    public static TheoryData<string, string, string> JsonVectors()
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(SharedVectors.Path("keccak", "keccak256-vectors.json")));
        var data = new TheoryData<string, string, string>();
        foreach (JsonElement vector in json.RootElement.GetProperty("vectors").EnumerateArray())
        {
            data.Add(vector.GetProperty("name").GetString()!, vector.GetProperty("inputHex").GetString()!, vector.GetProperty("keccak256").GetString()!);
        }
        return data;
    }

    [Fact]
    public void Hash_of_the_empty_input_is_the_known_empty_keccak()
    {
        Assert.Equal(Hash256.EmptyKeccak, Keccak256.Compute([]));
    }

    [Theory]
    [MemberData(nameof(ShortMessages))]
    public void One_shot_hash_matches_the_short_message_KAT(string name, string messageHex, string digestHex)
    {
        AssertDigest(name, messageHex, digestHex);
    }

    [Theory]
    [MemberData(nameof(LongMessages))]
    public void One_shot_hash_matches_the_long_message_KAT(string name, string messageHex, string digestHex)
    {
        AssertDigest(name, messageHex, digestHex);
    }

    [Theory]
    [MemberData(nameof(JsonVectors))]
    public void One_shot_hash_matches_the_ethereum_vectors(string name, string messageHex, string digestHex)
    {
        AssertDigest(name, messageHex, digestHex);
    }

    [Fact]
    public void Incremental_hash_of_the_extremely_long_KAT_message_matches_without_buffering_it()
    {
        (string text, int repeat, string digestHex) = ReadExtremelyLongVector();
        byte[] unit = System.Text.Encoding.ASCII.GetBytes(text);
        const int UnitsPerChunk = 1024; // 64 KiB chunks; the whole message is 1 GiB
        Assert.Equal(0, repeat % UnitsPerChunk);
        byte[] chunk = new byte[unit.Length * UnitsPerChunk];
        for (int i = 0; i < UnitsPerChunk; i++) unit.CopyTo(chunk, i * unit.Length);
        var hasher = new Keccak256Hasher();

        for (int i = 0; i < repeat / UnitsPerChunk; i++) hasher.Update(chunk);

        Assert.Equal(Convert.FromHexString(digestHex), hasher.Finish().ToArray());
    }

    [Fact]
    public void One_shot_hash_matches_bouncy_castle_at_every_length_up_to_1100()
    {
        var random = new Random(1);
        var input = new byte[1100];
        random.NextBytes(input);
        var expected = new byte[32];
        var actual = new byte[32];
        for (int length = 0; length <= input.Length; length++)
        {
            var reference = new KeccakDigest(256);
            reference.BlockUpdate(input, 0, length);
            reference.DoFinal(expected, 0);

            Keccak256.Hash(input.AsSpan(0, length), actual);

            Assert.True(expected.AsSpan().SequenceEqual(actual), $"length {length}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Incremental_hash_over_random_splits_equals_the_one_shot_hash(int seed)
    {
        var random = new Random(seed);
        var hasher = new Keccak256Hasher();
        for (int trial = 0; trial < 200; trial++)
        {
            byte[] input = new byte[random.Next(0, 2000)];
            random.NextBytes(input);
            hasher.Reset();

            ReadOnlySpan<byte> rest = input;
            while (!rest.IsEmpty)
            {
                int take = random.Next(0, Math.Min(rest.Length, 300) + 1);
                hasher.Update(rest[..take]);
                rest = rest[take..];
            }

            Assert.Equal(Keccak256.Compute(input), hasher.Finish());
        }
    }

    [Fact]
    public void One_shot_span_api_allocates_nothing()
    {
        byte[] input = new byte[5000];
        new Random(4).NextBytes(input);
        Span<byte> digest = stackalloc byte[32];
        for (int warmup = 0; warmup < 3; warmup++) HashManyLengths(input, digest);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Hash256 last = HashManyLengths(input, digest);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.False(last.IsZero);
    }

    [Fact]
    public void Update_after_finish_is_refused_until_reset()
    {
        var hasher = new Keccak256Hasher();
        hasher.Update([1, 2, 3]);
        Hash256 first = hasher.Finish();

        Assert.Throws<InvalidOperationException>(() => hasher.Update([4]));
        hasher.Reset();
        hasher.Update([1, 2, 3]);
        Assert.Equal(first, hasher.Finish());
    }

    [Fact]
    public void Hash_refuses_a_destination_shorter_than_32_bytes()
    {
        var error = Assert.Throws<ArgumentException>(() => Keccak256.Hash([1], new byte[31]));

        Assert.Equal("destination", error.ParamName);
    }

    private static Hash256 HashManyLengths(byte[] input, Span<byte> digest)
    {
        Hash256 last = default;
        foreach (int length in AllocationProbeLengths)
        {
            Keccak256.Hash(input.AsSpan(0, length), digest);
            last = Keccak256.Compute(input.AsSpan(0, length));
        }
        return last;
    }

    private static void AssertDigest(string name, string messageHex, string digestHex)
    {
        byte[] message = Convert.FromHexString(messageHex);
        byte[] actual = new byte[32];

        Keccak256.Hash(message, actual);

        Assert.True(Convert.FromHexString(digestHex).AsSpan().SequenceEqual(actual), $"{name}: got {Convert.ToHexStringLower(actual)}");
    }

    // "Len = bits / Msg = hex / MD = hex" records; Len = 0 comes with a placeholder "Msg = 00".
    private static TheoryData<string, string, string> KatVectors(string file)
    {
        var data = new TheoryData<string, string, string>();
        int? bits = null;
        string? message = null;
        foreach (string rawLine in File.ReadLines(SharedVectors.Path("keccak", file)))
        {
            string line = rawLine.Trim();
            if (line.StartsWith("Len = ", StringComparison.Ordinal)) bits = int.Parse(line[6..], System.Globalization.CultureInfo.InvariantCulture);
            else if (line.StartsWith("Msg = ", StringComparison.Ordinal)) message = line[6..];
            else if (line.StartsWith("MD = ", StringComparison.Ordinal))
            {
                Assert.True(bits is not null && message is not null && bits % 8 == 0, $"{file}: malformed record before '{line}'");
                data.Add($"{file} Len={bits}", message![..(bits!.Value / 4)], line[5..]);
                bits = null;
                message = null;
            }
        }
        Assert.True(data.Count > 0, $"{file}: no vectors");
        return data;
    }

    private static (string Text, int Repeat, string Digest) ReadExtremelyLongVector()
    {
        string? text = null, digest = null;
        int repeat = 0;
        foreach (string rawLine in File.ReadLines(SharedVectors.Path("keccak", "ExtremelyLongMsgKAT_256.txt")))
        {
            string line = rawLine.Trim();
            if (line.StartsWith("Repeat = ", StringComparison.Ordinal)) repeat = int.Parse(line[9..], System.Globalization.CultureInfo.InvariantCulture);
            else if (line.StartsWith("Text = ", StringComparison.Ordinal)) text = line[7..];
            else if (line.StartsWith("MD = ", StringComparison.Ordinal)) digest = line[5..];
        }
        Assert.True(text is not null && digest is not null && repeat > 0, "ExtremelyLongMsgKAT_256.txt: malformed");
        return (text!, repeat, digest!);
    }
}
