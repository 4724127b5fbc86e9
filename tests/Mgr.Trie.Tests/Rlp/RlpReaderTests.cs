using System.Numerics;
using System.Text.Json;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Trie.Tests.Rlp;

public class RlpReaderTests
{
    public static TheoryData<string, string, string> ValidVectors() => RlpVectors.Valid();

    public static TheoryData<string, string, string> IntegerVectors()
    {
        var data = new TheoryData<string, string, string>();
        foreach (object[] row in RlpVectors.Valid())
        {
            using JsonDocument input = JsonDocument.Parse((string)row[1]);
            if (RlpTree.FromJson(input.RootElement) is RlpTree.Number) data.Add((string)row[0], (string)row[1], (string)row[2]);
        }
        return data;
    }

    public static TheoryData<string, string, string> InvalidVectors() => RlpVectors.Invalid();

    public static TheoryData<string, string, string> RandomVectors() => RlpVectors.Random();

    public static TheoryData<RlpError> AllReasons() => new(Enum.GetValues<RlpError>());

    [Theory]
    [MemberData(nameof(ValidVectors))]
    public void Decodes_every_valid_vector_back_to_its_input(string name, string inputJson, string outputHex)
    {
        using JsonDocument input = JsonDocument.Parse(inputJson);
        RlpTree expected = RlpTree.FromJson(input.RootElement);

        RlpTree decoded = RlpTree.Decode(RlpVectors.FromHex(outputHex));

        Assert.True(expected.ToString() == decoded.ToString(), $"{name}: expected {expected}, decoded {decoded}");
    }

    [Theory]
    [MemberData(nameof(IntegerVectors))]
    public void Reads_every_integer_vector_as_a_uint256_unless_it_is_wider(string name, string inputJson, string outputHex)
    {
        using JsonDocument input = JsonDocument.Parse(inputJson);
        BigInteger expected = Assert.IsType<RlpTree.Number>(RlpTree.FromJson(input.RootElement)).Value;
        var reader = new RlpReader(RlpVectors.FromHex(outputHex));

        if (expected >= BigInteger.One << 256)
        {
            RlpException error = Assert.Throws<RlpException>(() => new RlpReader(RlpVectors.FromHex(outputHex)).ReadUInt256());
            Assert.Equal(RlpError.IntegerTooLarge, error.Reason);
            return;
        }
        UInt256 value = reader.ReadUInt256();

        reader.EnsureEnd();
        Assert.True(RlpTree.ToUInt256(expected) == value, name);
    }

    [Theory]
    [MemberData(nameof(InvalidVectors))]
    public void Rejects_every_invalid_vector(string name, string inputJson, string outputHex)
    {
        Assert.Equal("\"INVALID\"", inputJson);
        byte[] encoded = RlpVectors.FromHex(outputHex);

        var error = Record.Exception(() => RlpTree.Decode(encoded));

        Assert.True(error is RlpException, $"{name}: expected RlpException, got {error?.GetType().Name ?? "success"}");
    }

    [Theory]
    [MemberData(nameof(RandomVectors))]
    public void Decodes_every_random_valid_vector_and_reencodes_it_byte_for_byte(string name, string inputJson, string outputHex)
    {
        Assert.Equal("\"VALID\"", inputJson);
        byte[] encoded = RlpVectors.FromHex(outputHex);

        RlpTree decoded = RlpTree.Decode(encoded);

        Assert.True(encoded.AsSpan().SequenceEqual(decoded.Encode()), name);
    }

    [Theory]
    [MemberData(nameof(AllReasons))]
    public void Malformed_input_is_rejected_with_its_typed_reason_and_absolute_position(RlpError reason)
    {
        (string hex, int position, Action<byte[]> read) = MalformedExample(reason);
        byte[] input = Convert.FromHexString(hex);

        RlpException error = Assert.Throws<RlpException>(() => read(input));

        Assert.Equal(reason, error.Reason);
        Assert.Equal(position, error.Position);
    }

    [Fact]
    public void Decoding_a_532_byte_branch_node_allocates_nothing()
    {
        byte[] node = BranchNode(new Random(7));
        Assert.Equal(532, node.Length);
        DecodeBranch(node); // JIT warm-up

        long before = GC.GetAllocatedBytesForCurrentThread();
        Hash256 sum = DecodeBranch(node);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.False(sum.IsZero);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Random_bytes_end_only_in_rlp_exceptions_and_allocate_little(int seed)
    {
        var random = new Random(seed);
        byte[] prefixes = [0x00, 0x7f, 0x80, 0x81, 0xb7, 0xb8, 0xb9, 0xbb, 0xbf, 0xc0, 0xc1, 0xf7, 0xf8, 0xf9, 0xfb, 0xff];
        for (int trial = 0; trial < 20_000; trial++)
        {
            byte[] input = new byte[random.Next(0, 80)];
            random.NextBytes(input);
            for (int i = 0; i < input.Length; i++)
            {
                if (random.Next(3) == 0) input[i] = prefixes[random.Next(prefixes.Length)];
            }

            AssertDecodesOrThrowsRlpExceptionWithBoundedAllocation(input);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Mutated_valid_encodings_round_trip_or_end_only_in_rlp_exceptions(int seed)
    {
        var random = new Random(seed);
        for (int trial = 0; trial < 2_000; trial++)
        {
            byte[] valid = RandomTree(random, depth: 0).Encode();
            Assert.Equal(valid, RlpTree.Decode(valid).Encode());

            byte[] mutated = (byte[])valid.Clone();
            int flips = 1 + random.Next(3);
            for (int i = 0; i < flips; i++) mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            if (random.Next(4) == 0) mutated = mutated[..random.Next(mutated.Length + 1)];

            AssertDecodesOrThrowsRlpExceptionWithBoundedAllocation(mutated);
        }
    }

    [Fact]
    public void Lists_nested_exactly_max_depth_deep_decode()
    {
        RlpTree tree = new RlpTree.List([]);
        for (int i = 1; i < RlpReader.MaxDepth; i++) tree = new RlpTree.List([tree]);
        byte[] encoded = tree.Encode();

        RlpTree decoded = RlpTree.Decode(encoded);

        Assert.Equal(tree.ToString(), decoded.ToString());
    }

    [Fact]
    public void Encoded_item_includes_its_header_and_skip_moves_past_it()
    {
        var reader = new RlpReader(Convert.FromHexString("c3010203" + "83646f67"));

        ReadOnlySpan<byte> list = reader.ReadEncodedItem();
        int afterList = reader.Position;
        reader.Skip();

        Assert.Equal(Convert.FromHexString("c3010203"), list.ToArray());
        Assert.Equal(4, afterList);
        Assert.True(reader.IsEnd);
    }

    [Fact]
    public void Reads_integers_and_booleans_of_each_width()
    {
        var reader = new RlpReader(Convert.FromHexString("80" + "7f" + "8180" + "88ffffffffffffffff" + "01" + "80" + "847fffffff"));

        Assert.Equal(0UL, reader.ReadUInt64());
        Assert.Equal(0x7fUL, reader.ReadUInt64());
        Assert.Equal(0x80UL, reader.ReadUInt64());
        Assert.Equal(ulong.MaxValue, reader.ReadUInt64());
        Assert.True(reader.ReadBool());
        Assert.False(reader.ReadBool());
        Assert.Equal(int.MaxValue, reader.ReadInt32());
        reader.EnsureEnd();
    }

    [Fact]
    public void Rejects_an_int32_above_int_max_value()
    {
        RlpException error = Assert.Throws<RlpException>(() => new RlpReader(Convert.FromHexString("8480000000")).ReadInt32());

        Assert.Equal(RlpError.IntegerTooLarge, error.Reason);
    }

    [Fact]
    public void Rejects_a_uint256_with_a_leading_zero()
    {
        RlpException error = Assert.Throws<RlpException>(() => new RlpReader(Convert.FromHexString("820001")).ReadUInt256());

        Assert.Equal(RlpError.NonCanonicalInteger, error.Reason);
    }

    [Fact]
    public void Errors_inside_nested_lists_report_positions_in_the_outermost_input()
    {
        byte[] input = Convert.FromHexString("c8" + "83646f67" + "c3" + "01" + "8105");

        RlpException error = Assert.Throws<RlpException>(() => RlpTree.Decode(input));

        Assert.Equal(RlpError.NonCanonicalSingleByte, error.Reason);
        Assert.Equal(7, error.Position);
    }

    // A minimal input (hex), the position the reader reports, and the read that trips on it.
    private static (string Hex, int Position, Action<byte[]> Read) MalformedExample(RlpError reason) => reason switch
    {
        RlpError.Truncated => ("c4" + "83646f", 0, input => RlpTree.Decode(input)),
        RlpError.NonCanonicalLength => ("80" + "b837" + new string('a', 110), 1, input => { var r = new RlpReader(input); r.Skip(); r.ReadBytes(); }),
        RlpError.NonCanonicalSingleByte => ("c3" + "80" + "8100", 2, input => RlpTree.Decode(input)),
        RlpError.NonCanonicalInteger => ("820001", 0, input => new RlpReader(input).ReadUInt64()),
        RlpError.LengthOverflow => ("bb" + "ffffffff" + "00", 0, input => new RlpReader(input).ReadBytes()),
        RlpError.TrailingBytes => ("8080", 1, input => RlpTree.Decode(input)),
        RlpError.TooDeep => (Convert.ToHexString(NestedLists(RlpReader.MaxDepth + 1)), NestedLists(RlpReader.MaxDepth + 1).Length - 1, input => RlpTree.Decode(input)),
        RlpError.ExpectedString => ("80" + "c0", 1, input => { var r = new RlpReader(input); r.ReadBytes(); r.ReadBytes(); }),
        RlpError.ExpectedList => ("80", 0, input => new RlpReader(input).ReadList()),
        RlpError.IntegerTooLarge => ("89" + "010000000000000000", 0, input => new RlpReader(input).ReadUInt64()),
        RlpError.WrongLength => ("9f" + new string('1', 62), 0, input => new RlpReader(input).ReadHash()),
        RlpError.UnexpectedEnd => ("c180", 2, input => { var list = new RlpReader(input).ReadList(); list.ReadBytes(); list.ReadBytes(); }),
        _ => throw new InvalidOperationException($"No malformed example for {reason}: add one."),
    };

    private static byte[] NestedLists(int depth)
    {
        RlpTree tree = new RlpTree.List([]);
        for (int i = 1; i < depth; i++) tree = new RlpTree.List([tree]);
        return tree.Encode();
    }

    private static byte[] BranchNode(Random random)
    {
        var items = new List<RlpTree>();
        for (int i = 0; i < 16; i++)
        {
            byte[] hash = new byte[32];
            random.NextBytes(hash);
            items.Add(new RlpTree.Bytes(hash));
        }
        items.Add(new RlpTree.Bytes([]));
        return new RlpTree.List(items).Encode();
    }

    private static Hash256 DecodeBranch(byte[] node)
    {
        var outer = new RlpReader(node);
        RlpReader branch = outer.ReadList();
        outer.EnsureEnd();
        Hash256 xor = default;
        for (int i = 0; i < 16; i++)
        {
            Hash256 child = branch.ReadHash();
            xor = new Hash256(xor.Word(0) ^ child.Word(0), xor.Word(1) ^ child.Word(1), xor.Word(2) ^ child.Word(2), xor.Word(3) ^ child.Word(3));
        }
        Assert.True(branch.ReadBytes().IsEmpty);
        branch.EnsureEnd();
        return xor;
    }

    // Walks every item without allocating; only RlpException may escape, and a throw may allocate only
    // the exception itself. The runtime may allocate once for a throw from a new place (stack-trace metadata,
    // lazy initialisation on the thread): an input over the bound is measured a second time, and only a repeat
    // of the excess (the decoder's own allocation) fails.
    private static void AssertDecodesOrThrowsRlpExceptionWithBoundedAllocation(byte[] input)
    {
        const int ExceptionAllowance = 4096;
        long allocated = AllocationOfDecoding(input);
        if (allocated > ExceptionAllowance + 2L * input.Length) allocated = AllocationOfDecoding(input);
        Assert.True(allocated <= ExceptionAllowance + 2L * input.Length, $"Input {Convert.ToHexString(input)} allocated {allocated} bytes");
    }

    private static long AllocationOfDecoding(byte[] input)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            var reader = new RlpReader(input);
            Walk(ref reader);
            reader.EnsureEnd();
        }
        catch (RlpException)
        {
        }
        catch (Exception other)
        {
            Assert.Fail($"Input {Convert.ToHexString(input)} raised {other.GetType().Name}: {other.Message}");
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static int Walk(ref RlpReader reader)
    {
        if (!reader.PeekIsList) return reader.ReadBytes().Length;
        RlpReader inner = reader.ReadList();
        int total = 0;
        while (!inner.IsEnd) total += Walk(ref inner);
        return total;
    }

    private static RlpTree RandomTree(Random random, int depth)
    {
        if (depth < 4 && random.Next(3) == 0)
        {
            var items = new RlpTree[random.Next(0, 6)];
            for (int i = 0; i < items.Length; i++) items[i] = RandomTree(random, depth + 1);
            return new RlpTree.List(items);
        }
        int length = random.Next(5) switch { 0 => 0, 1 => 1, 2 => random.Next(2, 56), 3 => random.Next(56, 300), _ => 32 };
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return new RlpTree.Bytes(bytes);
    }
}
