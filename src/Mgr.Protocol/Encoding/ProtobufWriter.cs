namespace Mgr.Protocol.Encoding;

/// <summary>Writes protobuf fields, in the order called, into a span sized with the <c>LengthOf…</c>
/// helpers (measure first, then write). Encoding is deterministic: minimal varints, caller-chosen field order.</summary>
public ref struct ProtobufWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;
    private int _written;

    /// <summary>Bytes written so far.</summary>
    public readonly int Written => _written;

    /// <summary>Bytes a varint field takes.</summary>
    public static int LengthOfVarintField(int fieldNumber, ulong value) =>
        LengthOfVarint(Tag(fieldNumber, ProtobufWireType.Varint)) + LengthOfVarint(value);

    /// <summary>Bytes a length-delimited field with a payload of <paramref name="payloadLength"/> bytes takes.</summary>
    public static int LengthOfBytesField(int fieldNumber, int payloadLength) =>
        LengthOfVarint(Tag(fieldNumber, ProtobufWireType.LengthDelimited)) + LengthOfVarint((ulong)payloadLength) + payloadLength;

    /// <summary>Bytes a string field takes (UTF-8).</summary>
    public static int LengthOfStringField(int fieldNumber, string value) =>
        LengthOfBytesField(fieldNumber, System.Text.Encoding.UTF8.GetByteCount(value));

    /// <summary>Bytes a base-128 varint takes.</summary>
    public static int LengthOfVarint(ulong value)
    {
        int length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }
        return length;
    }

    public void WriteVarintField(int fieldNumber, ulong value)
    {
        WriteVarint(Tag(fieldNumber, ProtobufWireType.Varint));
        WriteVarint(value);
    }

    public void WriteBytesField(int fieldNumber, ReadOnlySpan<byte> value)
    {
        WriteBytesHeader(fieldNumber, value.Length);
        value.CopyTo(_destination[_written..]);
        _written += value.Length;
    }

    public void WriteStringField(int fieldNumber, string value)
    {
        WriteBytesHeader(fieldNumber, System.Text.Encoding.UTF8.GetByteCount(value));
        _written += System.Text.Encoding.UTF8.GetBytes(value, _destination[_written..]);
    }

    /// <summary>Writes the tag and length of a length-delimited field whose payload the caller writes next
    /// (an embedded message): follow with the payload's fields, which must add up to <paramref name="payloadLength"/>.</summary>
    public void WriteBytesHeader(int fieldNumber, int payloadLength)
    {
        WriteVarint(Tag(fieldNumber, ProtobufWireType.LengthDelimited));
        WriteVarint((ulong)payloadLength);
    }

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _destination[_written++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _destination[_written++] = (byte)value;
    }

    private static ulong Tag(int fieldNumber, ProtobufWireType wireType) => ((ulong)(uint)fieldNumber << 3) | (ulong)wireType;
}
