using System.Buffers;
using Mgr.Trie.Primitives;

namespace Mgr.Trie.Rlp;

/// <summary>Writes RLP into a caller's buffer, which must be large enough: measure first with
/// <see cref="Rlp"/>. Allocates nothing; writing past the buffer throws <see cref="ArgumentException"/>.</summary>
/// <remarks>To write into an <see cref="IBufferWriter{T}"/> without a copy, measure the total, create the
/// writer with <see cref="RlpWriter(IBufferWriter{byte}, int)"/>, write, then <see cref="Commit"/>.</remarks>
public ref struct RlpWriter
{
    private readonly Span<byte> _output;
    private IBufferWriter<byte>? _bufferWriter;
    private int _written;

    public RlpWriter(Span<byte> output)
    {
        _output = output;
        _bufferWriter = null;
        _written = 0;
    }

    /// <summary>A writer straight into the next <paramref name="length"/> bytes of <paramref name="output"/>;
    /// write exactly the measured <paramref name="length"/> bytes, then call <see cref="Commit"/>.</summary>
    public RlpWriter(IBufferWriter<byte> output, int length)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _output = output.GetSpan(length)[..length];
        _bufferWriter = output;
        _written = 0;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Written => _written;

    /// <summary>Writes a list header for <paramref name="contentLength"/> bytes of items that follow.</summary>
    public void WriteListHeader(int contentLength) => WriteHeader(0xc0, contentLength);

    /// <summary>Writes a string item.</summary>
    public void WriteBytes(scoped ReadOnlySpan<byte> payload)
    {
        if (payload.Length == 1 && payload[0] < 0x80)
        {
            Span(1)[0] = payload[0];
            return;
        }
        WriteHeader(0x80, payload.Length);
        payload.CopyTo(Span(payload.Length));
    }

    /// <summary>Writes an unsigned integer in minimal big-endian form (zero is the empty string).</summary>
    public void Write(ulong value)
    {
        if (value == 0)
        {
            Span(1)[0] = Rlp.EmptyString;
            return;
        }
        if (value < 0x80)
        {
            Span(1)[0] = (byte)value;
            return;
        }
        int length = Rlp.ByteLength(value);
        Span<byte> target = Span(1 + length);
        target[0] = (byte)(0x80 + length);
        for (int i = length; i >= 1; i--)
        {
            target[i] = (byte)value;
            value >>= 8;
        }
    }

    /// <summary>Writes an unsigned 256-bit integer in minimal big-endian form (zero is the empty string).</summary>
    public void Write(UInt256 value)
    {
        if (value.FitsInUInt64)
        {
            Write(value.ToUInt64());
            return;
        }
        int length = value.ByteLength;
        Span<byte> target = Span(1 + length);
        target[0] = (byte)(0x80 + length);
        value.WriteMinimalBigEndian(target[1..]);
    }

    /// <summary>Writes a 32-byte string.</summary>
    public void Write(Hash256 value)
    {
        Span<byte> target = Span(33);
        target[0] = 0x80 + 32;
        value.CopyTo(target[1..]);
    }

    /// <summary>Writes a boolean as the integer 0 or 1.</summary>
    public void Write(bool value) => Write(value ? 1UL : 0UL);

    /// <summary>Advances the <see cref="IBufferWriter{T}"/> this writer was created over by the bytes written.</summary>
    /// <exception cref="InvalidOperationException">When the writer has no buffer writer (or was committed
    /// already), or when fewer bytes were written than were measured.</exception>
    public void Commit()
    {
        if (_bufferWriter is null) throw new InvalidOperationException("This RlpWriter has no IBufferWriter to commit to, or was committed already.");
        if (_written != _output.Length)
            throw new InvalidOperationException($"RLP measured {_output.Length} bytes but wrote {_written}.");
        _bufferWriter.Advance(_written);
        _bufferWriter = null;
    }

    /// <summary>Copies bytes that are already RLP (an encoded item) as they are.</summary>
    public void WriteEncoded(scoped ReadOnlySpan<byte> encoded) => encoded.CopyTo(Span(encoded.Length));

    private void WriteHeader(byte baseCode, int payloadLength)
    {
        if (payloadLength <= 55)
        {
            Span(1)[0] = (byte)(baseCode + payloadLength);
            return;
        }
        int lengthOfLength = Rlp.ByteLength((ulong)payloadLength);
        Span<byte> target = Span(1 + lengthOfLength);
        target[0] = (byte)(baseCode + 55 + lengthOfLength);
        uint length = (uint)payloadLength;
        for (int i = lengthOfLength; i >= 1; i--)
        {
            target[i] = (byte)length;
            length >>= 8;
        }
    }

    private Span<byte> Span(int length)
    {
        if (_written + length > _output.Length)
            throw new ArgumentException($"RLP output buffer too small: need {_written + length} bytes, have {_output.Length}.");
        Span<byte> span = _output.Slice(_written, length);
        _written += length;
        return span;
    }
}
