using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Mgr.Trie.Primitives;

namespace Mgr.Trie.Crypto;

/// <summary>Keccak-256 as Ethereum uses it: original Keccak padding (0x01 … 0x80), rate 136 bytes.</summary>
/// <remarks>One-shot and allocation-free; thread-safe (no shared state). For streaming input use
/// <see cref="Keccak256Hasher"/>.</remarks>
public static class Keccak256
{
    /// <summary>Digest length in bytes.</summary>
    public const int HashLength = 32;

    /// <summary>Sponge rate in bytes (1600 − 2·256 bits).</summary>
    public const int RateBytes = KeccakF1600.BlockBytes;

    /// <summary>Hashes <paramref name="input"/> into the first 32 bytes of <paramref name="destination"/>.</summary>
    [SkipLocalsInit]
    public static void Hash(ReadOnlySpan<byte> input, Span<byte> destination)
    {
        if (destination.Length < HashLength) throw new ArgumentException("Destination needs 32 bytes.", nameof(destination));
        Span<ulong> state = stackalloc ulong[KeccakF1600.Lanes];
        state.Clear();
        int whole = input.Length - input.Length % RateBytes;
        KeccakF1600.AbsorbBlocks(state, input[..whole]);
        AbsorbFinal(state, input[whole..]);
        Squeeze(state, destination);
    }

    /// <summary>Hashes <paramref name="input"/> and returns the digest as a value.</summary>
    [SkipLocalsInit]
    public static Hash256 Compute(ReadOnlySpan<byte> input)
    {
        Span<byte> digest = stackalloc byte[HashLength];
        Hash(input, digest);
        return new Hash256(digest);
    }

    // Pads the tail (shorter than one block) into a last block and absorbs it.
    [SkipLocalsInit]
    internal static void AbsorbFinal(Span<ulong> state, ReadOnlySpan<byte> tail)
    {
        Span<byte> block = stackalloc byte[RateBytes];
        tail.CopyTo(block);
        block[tail.Length..].Clear();
        block[tail.Length] ^= 0x01;
        block[RateBytes - 1] ^= 0x80;
        KeccakF1600.AbsorbBlocks(state, block);
    }

    internal static void Squeeze(ReadOnlySpan<ulong> state, Span<byte> destination)
    {
        for (int i = 0; i < HashLength / 8; i++) BinaryPrimitives.WriteUInt64LittleEndian(destination[(8 * i)..], state[i]);
    }
}
