using Mgr.Protocol.Encoding;
using Mgr.Protocol.Tests.TestSupport;

namespace Mgr.Protocol.Tests.Encoding;

public sealed class ProtobufReaderTests
{
    [Fact]
    public void Reads_back_what_the_writer_measured_and_wrote()
    {
        int length = ProtobufWriter.LengthOfVarintField(1, 300) + ProtobufWriter.LengthOfBytesField(2, 3)
                     + ProtobufWriter.LengthOfStringField(3, "/yamux/1.0.0");
        var buffer = new byte[length];
        var writer = new ProtobufWriter(buffer);
        writer.WriteVarintField(1, 300);
        writer.WriteBytesField(2, [7, 8, 9]);
        writer.WriteStringField(3, "/yamux/1.0.0");

        var reader = new ProtobufReader(buffer);

        Assert.Equal(length, writer.Written);
        Assert.True(reader.TryReadTag(out int field, out ProtobufWireType wire));
        Assert.Equal((1, ProtobufWireType.Varint), (field, wire));
        Assert.Equal(300UL, reader.ReadVarint());
        Assert.True(reader.TryReadTag(out field, out wire));
        Assert.Equal((2, ProtobufWireType.LengthDelimited), (field, wire));
        Assert.Equal(new byte[] { 7, 8, 9 }, reader.ReadLengthDelimited().ToArray());
        Assert.True(reader.TryReadTag(out field, out _));
        Assert.Equal("/yamux/1.0.0", System.Text.Encoding.UTF8.GetString(reader.ReadLengthDelimited()));
        Assert.False(reader.TryReadTag(out _, out _));
    }

    [Theory]
    [InlineData("0a05010203", ProtobufError.Truncated)] // bytes longer than the input
    [InlineData("08", ProtobufError.Truncated)] // varint missing
    [InlineData("0880", ProtobufError.Truncated)] // varint cut short
    [InlineData("088100", ProtobufError.BadVarint)] // non-minimal varint
    [InlineData("08ffffffffffffffffff7f", ProtobufError.BadVarint)] // 11-byte varint
    [InlineData("0b", ProtobufError.BadWireType)] // start group
    [InlineData("00", ProtobufError.BadFieldNumber)] // field 0
    public void Rejects_malformed_input_with_a_typed_reason(string hex, ProtobufError reason)
    {
        byte[] input = Hex.Bytes(hex);

        var error = Assert.Throws<ProtobufException>(() =>
        {
            var reader = new ProtobufReader(input);
            while (reader.TryReadTag(out _, out ProtobufWireType wire)) reader.Skip(wire);
        });

        Assert.Equal(reason, error.Reason);
    }
}
