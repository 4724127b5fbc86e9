using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Mgr.Trie.Primitives;

namespace Mgr.Trie.Rlp;

/// <summary>Forward-only reader over RLP bytes with strict canonical checks. Allocates nothing;
/// malformed input always ends in <see cref="RlpException"/>, never in an index error.</summary>
/// <remarks>Returned spans point into the input: copy them if you keep them.</remarks>
public ref struct RlpReader
{
    /// <summary>Deepest list nesting accepted.</summary>
    public const int MaxDepth = 64;

    private readonly ReadOnlySpan<byte> _input;
    private readonly int _depth;
    private readonly int _offset; // where _input starts in the outermost reader's input, for error positions
    private int _position;

    public RlpReader(ReadOnlySpan<byte> input) : this(input, 0, 0) { }

    private RlpReader(ReadOnlySpan<byte> input, int depth, int offset)
    {
        _input = input;
        _depth = depth;
        _offset = offset;
        _position = 0;
    }

    /// <summary>Offset of the next item in this reader's input.</summary>
    public readonly int Position => _position;

    /// <summary>True when every byte has been read.</summary>
    public readonly bool IsEnd => _position >= _input.Length;

    /// <summary>True when the next item is a list (false at the end).</summary>
    public readonly bool PeekIsList => !IsEnd && _input[_position] >= 0xc0;

    /// <summary>Enters a list; the returned reader sees only the list's payload.</summary>
    public RlpReader ReadList()
    {
        if (_depth >= MaxDepth) Fail(RlpError.TooDeep, _position);
        ReadOnlySpan<byte> payload = ReadItem(expectList: true, out _);
        return new RlpReader(payload, _depth + 1, _offset + _position - payload.Length);
    }

    /// <summary>Reads a string item's payload.</summary>
    public ReadOnlySpan<byte> ReadBytes() => ReadItem(expectList: false, out _);

    /// <summary>Reads the next item, string or list, and returns its whole encoding (header included).</summary>
    public ReadOnlySpan<byte> ReadEncodedItem()
    {
        int start = _position;
        if (IsEnd) Fail(RlpError.UnexpectedEnd, _position);
        bool isList = _input[_position] >= 0xc0;
        _ = ReadItem(isList, out _);
        return _input[start.._position];
    }

    /// <summary>Skips the next item, string or list.</summary>
    public void Skip() => _ = ReadEncodedItem();

    /// <summary>Reads a canonical unsigned integer of at most 8 bytes.</summary>
    public ulong ReadUInt64()
    {
        int start = _position;
        ReadOnlySpan<byte> bytes = ReadBytes();
        if (bytes.Length > 8) Fail(RlpError.IntegerTooLarge, start);
        if (bytes.Length > 0 && bytes[0] == 0) Fail(RlpError.NonCanonicalInteger, start);
        ulong value = 0;
        foreach (byte b in bytes) value = (value << 8) | b;
        return value;
    }

    /// <summary>Reads a canonical unsigned integer of at most 32 bytes.</summary>
    public UInt256 ReadUInt256()
    {
        int start = _position;
        ReadOnlySpan<byte> bytes = ReadBytes();
        if (bytes.Length > UInt256.Length) Fail(RlpError.IntegerTooLarge, start);
        if (bytes.Length > 0 && bytes[0] == 0) Fail(RlpError.NonCanonicalInteger, start);
        return UInt256.FromBigEndian(bytes);
    }

    /// <summary>Reads a canonical unsigned integer that must fit in an <see cref="int"/>.</summary>
    public int ReadInt32()
    {
        int start = _position;
        ulong value = ReadUInt64();
        if (value > int.MaxValue) Fail(RlpError.IntegerTooLarge, start);
        return (int)value;
    }

    /// <summary>Reads a one-byte canonical boolean (0 or 1).</summary>
    public bool ReadBool()
    {
        int start = _position;
        ulong value = ReadUInt64();
        if (value > 1) Fail(RlpError.IntegerTooLarge, start);
        return value == 1;
    }

    /// <summary>Reads a string of exactly 32 bytes.</summary>
    public Hash256 ReadHash()
    {
        int start = _position;
        ReadOnlySpan<byte> bytes = ReadBytes();
        if (bytes.Length != Hash256.Length) Fail(RlpError.WrongLength, start);
        return new Hash256(bytes);
    }

    /// <summary>Reads a string of exactly <paramref name="length"/> bytes.</summary>
    public ReadOnlySpan<byte> ReadFixed(int length)
    {
        int start = _position;
        ReadOnlySpan<byte> bytes = ReadBytes();
        if (bytes.Length != length) Fail(RlpError.WrongLength, start);
        return bytes;
    }

    /// <summary>Fails unless every byte has been read.</summary>
    public readonly void EnsureEnd()
    {
        if (_position < _input.Length) Fail(RlpError.TrailingBytes, _position);
    }

    [DoesNotReturn]
    private readonly void Fail(RlpError reason, int position) => RlpException.Throw(reason, _offset + position);

    // Decodes one item header at _position, checks canonical form and bounds, advances past the item
    // and returns its payload.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> ReadItem(bool expectList, out bool isList)
    {
        int start = _position;
        if (start >= _input.Length) Fail(RlpError.UnexpectedEnd, start);
        byte prefix = _input[start];
        int headerLength, payloadLength;
        if (prefix < 0x80)
        {
            isList = false;
            headerLength = 0;
            payloadLength = 1;
        }
        else if (prefix <= 0xb7)
        {
            isList = false;
            headerLength = 1;
            payloadLength = prefix - 0x80;
            if (payloadLength == 1)
            {
                if (start + 1 >= _input.Length) Fail(RlpError.Truncated, start);
                if (_input[start + 1] < 0x80) Fail(RlpError.NonCanonicalSingleByte, start);
            }
        }
        else if (prefix <= 0xbf)
        {
            isList = false;
            payloadLength = ReadLongLength(start, prefix - 0xb7);
            headerLength = 1 + prefix - 0xb7;
        }
        else if (prefix <= 0xf7)
        {
            isList = true;
            headerLength = 1;
            payloadLength = prefix - 0xc0;
        }
        else
        {
            isList = true;
            payloadLength = ReadLongLength(start, prefix - 0xf7);
            headerLength = 1 + prefix - 0xf7;
        }

        if (isList != expectList) Fail(expectList ? RlpError.ExpectedList : RlpError.ExpectedString, start);
        long end = (long)start + headerLength + payloadLength;
        if (end > _input.Length) Fail(RlpError.Truncated, start);
        _position = (int)end;
        return _input.Slice(start + headerLength, payloadLength);
    }

    // Reads a big-endian length of lengthOfLength bytes after the prefix; must be minimal and > 55.
    private readonly int ReadLongLength(int start, int lengthOfLength)
    {
        if (start + 1 + lengthOfLength > _input.Length) Fail(RlpError.Truncated, start);
        if (lengthOfLength > 4) Fail(RlpError.LengthOverflow, start);
        ReadOnlySpan<byte> lengthBytes = _input.Slice(start + 1, lengthOfLength);
        if (lengthBytes[0] == 0) Fail(RlpError.NonCanonicalLength, start);
        uint length = 0;
        foreach (byte b in lengthBytes) length = (length << 8) | b;
        if (length <= 55) Fail(RlpError.NonCanonicalLength, start);
        if (length > int.MaxValue) Fail(RlpError.LengthOverflow, start);
        return (int)length;
    }
}
