namespace Mgr.Protocol.Encoding;

/// <summary>Forward-only reader over one protobuf message. Allocates nothing; malformed input always ends in
/// <see cref="ProtobufException"/>, never in an index error. Spans it returns point into the input.</summary>
/// <remarks>Varints must be minimal (libp2p requires deterministic encoding) and at most 10 bytes long.</remarks>
public ref struct ProtobufReader(ReadOnlySpan<byte> input)
{
    /// <summary>Largest field number protobuf allows (2^29 - 1).</summary>
    public const int MaxFieldNumber = (1 << 29) - 1;

    private readonly ReadOnlySpan<byte> _input = input;
    private int _position;

    /// <summary>Current byte offset.</summary>
    public readonly int Position => _position;

    /// <summary>True once every byte has been read.</summary>
    public readonly bool IsEnd => _position >= _input.Length;

    /// <summary>Reads the next field's tag; false at the end of the message.</summary>
    public bool TryReadTag(out int fieldNumber, out ProtobufWireType wireType)
    {
        fieldNumber = 0;
        wireType = ProtobufWireType.Varint;
        if (IsEnd) return false;
        int start = _position;
        ulong tag = ReadVarint();
        ulong number = tag >> 3;
        if (number == 0 || number > MaxFieldNumber) ProtobufException.Throw(ProtobufError.BadFieldNumber, start);
        wireType = (ProtobufWireType)(tag & 7);
        if (wireType is not (ProtobufWireType.Varint or ProtobufWireType.Fixed64 or ProtobufWireType.LengthDelimited or ProtobufWireType.Fixed32))
        {
            ProtobufException.Throw(ProtobufError.BadWireType, start);
        }
        fieldNumber = (int)number;
        return true;
    }

    /// <summary>Reads a minimal base-128 varint.</summary>
    public ulong ReadVarint()
    {
        ulong value = 0;
        int start = _position;
        for (int i = 0; i < 10; i++)
        {
            if (_position >= _input.Length) ProtobufException.Throw(ProtobufError.Truncated, start);
            byte b = _input[_position++];
            if (i == 9 && b > 1) ProtobufException.Throw(ProtobufError.BadVarint, start);
            value |= (ulong)(b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0) ProtobufException.Throw(ProtobufError.BadVarint, start);
                return value;
            }
        }
        ProtobufException.Throw(ProtobufError.BadVarint, start);
        return 0;
    }

    /// <summary>Reads a length-delimited value (bytes, string or embedded message).</summary>
    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        int start = _position;
        ulong length = ReadVarint();
        if (length > (ulong)(_input.Length - _position)) ProtobufException.Throw(ProtobufError.Truncated, start);
        ReadOnlySpan<byte> value = _input.Slice(_position, (int)length);
        _position += (int)length;
        return value;
    }

    /// <summary>Reads a value of the given type and discards it (for unknown fields).</summary>
    public void Skip(ProtobufWireType wireType)
    {
        switch (wireType)
        {
            case ProtobufWireType.Varint: ReadVarint(); break;
            case ProtobufWireType.LengthDelimited: ReadLengthDelimited(); break;
            case ProtobufWireType.Fixed64: SkipBytes(8); break;
            case ProtobufWireType.Fixed32: SkipBytes(4); break;
            default: ProtobufException.Throw(ProtobufError.BadWireType, _position); break;
        }
    }

    /// <summary>Throws <see cref="ProtobufError.SchemaViolation"/> unless <paramref name="actual"/> is <paramref name="expected"/>.</summary>
    public readonly void Expect(ProtobufWireType actual, ProtobufWireType expected)
    {
        if (actual != expected) ProtobufException.Throw(ProtobufError.SchemaViolation, _position);
    }

    private void SkipBytes(int count)
    {
        if (_input.Length - _position < count) ProtobufException.Throw(ProtobufError.Truncated, _position);
        _position += count;
    }
}
