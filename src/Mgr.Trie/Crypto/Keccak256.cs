using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    public const int RateBytes = 136;

    internal const int RateLanes = RateBytes / 8;

    /// <summary>Hashes <paramref name="input"/> into the first 32 bytes of <paramref name="destination"/>.</summary>
    [SkipLocalsInit]
    public static void Hash(ReadOnlySpan<byte> input, Span<byte> destination)
    {
        if (destination.Length < HashLength) throw new ArgumentException("Destination needs 32 bytes.", nameof(destination));
        Span<ulong> state = stackalloc ulong[KeccakF1600.Lanes];
        state.Clear();
        Absorb(state, input);
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

    // Absorbs all of input, pads the final block and permutes it. State must start as it should (zero).
    internal static void Absorb(Span<ulong> state, ReadOnlySpan<byte> input)
    {
        while (input.Length >= RateBytes)
        {
            XorBlock(state, input);
            KeccakF1600.Permute(state);
            input = input[RateBytes..];
        }
        AbsorbFinal(state, input);
    }

    // Pads the tail (shorter than one block), XORs it in, and permutes.
    [SkipLocalsInit]
    internal static void AbsorbFinal(Span<ulong> state, ReadOnlySpan<byte> tail)
    {
        Span<byte> block = stackalloc byte[RateBytes];
        tail.CopyTo(block);
        block[tail.Length..].Clear();
        block[tail.Length] ^= 0x01;
        block[RateBytes - 1] ^= 0x80;
        XorBlock(state, block);
        KeccakF1600.Permute(state);
    }

    internal static void XorBlock(Span<ulong> state, ReadOnlySpan<byte> block)
    {
        if (BitConverter.IsLittleEndian)
        {
            ReadOnlySpan<ulong> lanes = MemoryMarshal.Cast<byte, ulong>(block[..RateBytes]);
            for (int i = 0; i < RateLanes; i++) state[i] ^= lanes[i];
        }
        else
        {
            for (int i = 0; i < RateLanes; i++) state[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(block[(8 * i)..]);
        }
    }

    internal static void Squeeze(ReadOnlySpan<ulong> state, Span<byte> destination)
    {
        for (int i = 0; i < HashLength / 8; i++) BinaryPrimitives.WriteUInt64LittleEndian(destination[(8 * i)..], state[i]);
    }
}
