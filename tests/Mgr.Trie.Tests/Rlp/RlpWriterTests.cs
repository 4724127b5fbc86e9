using System.Buffers;
using System.Text.Json;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;
using RlpSize = Mgr.Trie.Rlp.Rlp;

namespace Mgr.Trie.Tests.Rlp;

public class RlpWriterTests
{
    public static TheoryData<string, string, string> ValidVectors() => RlpVectors.Valid();

    [Theory]
    [MemberData(nameof(ValidVectors))]
    public void Encodes_every_valid_vector_byte_for_byte(string name, string inputJson, string outputHex)
    {
        using JsonDocument input = JsonDocument.Parse(inputJson);
        RlpTree tree = RlpTree.FromJson(input.RootElement);

        byte[] encoded = tree.Encode();

        Assert.True(RlpVectors.FromHex(outputHex).AsSpan().SequenceEqual(encoded), $"{name}: got 0x{Convert.ToHexStringLower(encoded)}");
    }

    [Fact]
    public void Writes_into_a_buffer_writer_exactly_the_measured_length()
    {
        var output = new ArrayBufferWriter<byte>();
        output.Write<byte>([0xaa]); // something already in the buffer stays in front
        Hash256 root = Hash256.EmptyTrieRoot;
        UInt256 balance = UInt256.Parse("1000000000000000000000");
        byte[] code = new byte[100];
        int content = RlpSize.LengthOf(7UL) + RlpSize.LengthOf(balance) + RlpSize.LengthOf(root) + RlpSize.LengthOf(code) + RlpSize.LengthOf(true);
        int total = RlpSize.LengthOfList(content);

        var writer = new RlpWriter(output, total);
        writer.WriteListHeader(content);
        writer.Write(7UL);
        writer.Write(balance);
        writer.Write(root);
        writer.WriteBytes(code);
        writer.Write(true);
        writer.Commit();

        Assert.Equal(1 + total, output.WrittenCount);
        var reader = new RlpReader(output.WrittenSpan[1..]);
        RlpReader fields = reader.ReadList();
        reader.EnsureEnd();
        Assert.Equal(7UL, fields.ReadUInt64());
        Assert.Equal(balance, fields.ReadUInt256());
        Assert.Equal(root, fields.ReadHash());
        Assert.Equal(code, fields.ReadBytes().ToArray());
        Assert.True(fields.ReadBool());
        fields.EnsureEnd();
    }

    [Fact]
    public void Commit_refuses_when_fewer_bytes_were_written_than_measured()
    {
        var output = new ArrayBufferWriter<byte>();

        var error = Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new RlpWriter(output, 3);
            writer.Write(1UL);
            writer.Commit();
        });

        Assert.Contains("measured 3", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Writing_more_than_measured_into_a_buffer_writer_throws()
    {
        var output = new ArrayBufferWriter<byte>(4096);

        Assert.Throws<ArgumentException>(() =>
        {
            var writer = new RlpWriter(output, 1);
            writer.Write(1000UL);
        });
    }

    [Fact]
    public void Commit_without_a_buffer_writer_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new RlpWriter(new byte[1]);
            writer.Write(1UL);
            writer.Commit();
        });
    }

    [Theory]
    [InlineData(0UL, "80")]
    [InlineData(1UL, "01")]
    [InlineData(0x7fUL, "7f")]
    [InlineData(0x80UL, "8180")]
    [InlineData(0x0100UL, "820100")]
    [InlineData(ulong.MaxValue, "88ffffffffffffffff")]
    public void Writes_integers_in_minimal_form_and_measures_them(ulong value, string hex)
    {
        byte[] output = new byte[RlpSize.LengthOf(value)];
        var writer = new RlpWriter(output);

        writer.Write(value);

        Assert.Equal(hex, Convert.ToHexStringLower(output));
        Assert.Equal(output.Length, writer.Written);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(55)]
    [InlineData(56)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(70_000)]
    public void List_headers_and_strings_of_each_length_class_measure_what_they_write(int payloadLength)
    {
        byte[] payload = new byte[payloadLength];
        Array.Fill(payload, (byte)0xab);
        byte[] output = new byte[RlpSize.LengthOfList(RlpSize.LengthOf(payload))];
        var writer = new RlpWriter(output);

        writer.WriteListHeader(RlpSize.LengthOf(payload));
        writer.WriteBytes(payload);

        Assert.Equal(output.Length, writer.Written);
        var reader = new RlpReader(output);
        RlpReader list = reader.ReadList();
        Assert.Equal(payload, list.ReadBytes().ToArray());
        list.EnsureEnd();
        reader.EnsureEnd();
    }

    [Fact]
    public void Writing_past_the_buffer_throws_argument_exception()
    {
        Assert.Throws<ArgumentException>(() =>
        {
            var writer = new RlpWriter(new byte[32]);
            writer.Write(Hash256.EmptyKeccak);
        });
    }
}
