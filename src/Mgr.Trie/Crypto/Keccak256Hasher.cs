using System.Runtime.CompilerServices;
using Mgr.Trie.Primitives;

namespace Mgr.Trie.Crypto;

/// <summary>Incremental Keccak-256 for streaming input: <see cref="Update"/> any number of times, then
/// <c>Finish</c> once. Not thread-safe; reusable after <see cref="Reset"/>.</summary>
public sealed class Keccak256Hasher
{
    private readonly ulong[] _state = new ulong[KeccakF1600.Lanes];
    private readonly byte[] _buffer = new byte[Keccak256.RateBytes];
    private int _buffered;
    private bool _finished;

    /// <summary>Feeds more input.</summary>
    /// <exception cref="InvalidOperationException">After <c>Finish</c> without <see cref="Reset"/>.</exception>
    public void Update(ReadOnlySpan<byte> input)
    {
        if (_finished) throw new InvalidOperationException("Hasher already finished; call Reset first.");
        if (_buffered > 0)
        {
            int take = Math.Min(input.Length, Keccak256.RateBytes - _buffered);
            input[..take].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += take;
            input = input[take..];
            if (_buffered < Keccak256.RateBytes) return;
            KeccakF1600.AbsorbBlocks(_state, _buffer);
            _buffered = 0;
        }
        int whole = input.Length - input.Length % Keccak256.RateBytes;
        KeccakF1600.AbsorbBlocks(_state, input[..whole]);
        input = input[whole..];
        input.CopyTo(_buffer);
        _buffered = input.Length;
    }

    /// <summary>Pads, permutes and writes the 32-byte digest.</summary>
    public void Finish(Span<byte> destination)
    {
        if (_finished) throw new InvalidOperationException("Hasher already finished; call Reset first.");
        if (destination.Length < Keccak256.HashLength) throw new ArgumentException("Destination needs 32 bytes.", nameof(destination));
        Keccak256.AbsorbFinal(_state, _buffer.AsSpan(0, _buffered));
        Keccak256.Squeeze(_state, destination);
        _finished = true;
    }

    /// <summary>Finishes and returns the digest as a value.</summary>
    [SkipLocalsInit]
    public Hash256 Finish()
    {
        Span<byte> digest = stackalloc byte[Keccak256.HashLength];
        Finish(digest);
        return new Hash256(digest);
    }

    /// <summary>Starts over with an empty input.</summary>
    public void Reset()
    {
        Array.Clear(_state);
        _buffered = 0;
        _finished = false;
    }
}
