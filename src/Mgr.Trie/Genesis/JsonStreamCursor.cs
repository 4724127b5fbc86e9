using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Mgr.Trie.Genesis;

/// <summary>A <see cref="Utf8JsonReader"/> over a stream, fed in buffered pieces: it holds one pooled buffer
/// (<see cref="InitialBufferBytes"/>, grown only to fit a single token longer than that) whatever the document's size.</summary>
/// <remarks>Malformed JSON throws <see cref="JsonException"/> from <see cref="Read"/>; a string that is not valid UTF-8
/// throws <see cref="InvalidOperationException"/> from <see cref="GetString"/>. <see cref="Dispose"/> returns the buffer.</remarks>
internal ref struct JsonStreamCursor
{
    public const int InitialBufferBytes = 64 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _length;
    private bool _final;
    private Utf8JsonReader _reader;

    public JsonStreamCursor(Stream stream, JsonReaderOptions options)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        Fill();
        _reader = new Utf8JsonReader(_buffer.AsSpan(0, _length), _final, new JsonReaderState(options));
    }

    public readonly JsonTokenType TokenType => _reader.TokenType;

    /// <summary>Moves to the next token, reading more of the stream when the buffer holds no complete one; false at the
    /// end of a complete document.</summary>
    public bool Read()
    {
        while (!_reader.Read())
        {
            if (_final) return false;
            Refill();
        }
        return true;
    }

    /// <summary>Skips the value the cursor is on (a whole object or array), ending on its last token.</summary>
    public void SkipValue()
    {
        if (_reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray)) return;
        int depth = _reader.CurrentDepth;
        while (Read() && _reader.CurrentDepth > depth)
        {
        }
    }

    /// <summary>True when the current property name or string is <paramref name="utf8Text"/> (after unescaping).</summary>
    public readonly bool ValueTextEquals(ReadOnlySpan<byte> utf8Text) => _reader.ValueTextEquals(utf8Text);

    /// <summary>The current property name or string, unescaped.</summary>
    public readonly string GetString() => _reader.GetString()!;

    /// <summary>The current number as written.</summary>
    public readonly string GetNumberText() => Encoding.UTF8.GetString(_reader.ValueSpan);

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    // Keeps the unconsumed tail (a token cut by the buffer's end), grows the buffer when that tail fills it, and reads on.
    private void Refill()
    {
        int consumed = (int)_reader.BytesConsumed;
        int tail = _length - consumed;
        if (consumed == 0 && _length == _buffer.Length)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        else
        {
            _buffer.AsSpan(consumed, tail).CopyTo(_buffer);
        }
        _length = tail;
        Fill();
        _reader = new Utf8JsonReader(_buffer.AsSpan(0, _length), _final, _reader.CurrentState);
    }

    private void Fill()
    {
        while (_length < _buffer.Length)
        {
            int read = _stream.Read(_buffer, _length, _buffer.Length - _length);
            if (read == 0)
            {
                _final = true;
                return;
            }
            _length += read;
        }
    }
}
