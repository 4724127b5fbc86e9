using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mgr.Trie.Crypto;

/// <summary>The Keccak-f[1600] permutation over a 25-lane state (lane index x + 5·y), fused with the
/// absorbing of 136-byte blocks (the Keccak-256 rate).</summary>
internal static class KeccakF1600
{
    /// <summary>Number of lanes in the state.</summary>
    public const int Lanes = 25;

    private static ReadOnlySpan<ulong> RoundConstants =>
    [
        0x0000000000000001UL, 0x0000000000008082UL, 0x800000000000808AUL, 0x8000000080008000UL,
        0x000000000000808BUL, 0x0000000080000001UL, 0x8000000080008081UL, 0x8000000000008009UL,
        0x000000000000008AUL, 0x0000000000000088UL, 0x0000000080008009UL, 0x000000008000000AUL,
        0x000000008000808BUL, 0x800000000000008BUL, 0x8000000000008089UL, 0x8000000000008003UL,
        0x8000000000008002UL, 0x8000000000000080UL, 0x000000000000800AUL, 0x800000008000000AUL,
        0x8000000080008081UL, 0x8000000000008080UL, 0x0000000080000001UL, 0x8000000080008008UL,
    ];

    /// <summary>Rate lanes of Keccak-256 (136 bytes = 17 lanes).</summary>
    public const int RateLanes = 17;

    /// <summary>Block size in bytes for <see cref="AbsorbBlocks"/>.</summary>
    public const int BlockBytes = RateLanes * 8;

    /// <summary>For each whole 136-byte block of <paramref name="blocks"/> (a trailing partial block is
    /// ignored): XORs it into the first 17 lanes of <paramref name="state"/> and applies the 24 rounds.</summary>
    /// <remarks>The state stays in locals from the first block to the last: one load and one store per call,
    /// and input lanes are read straight from <paramref name="blocks"/> without a copy.</remarks>
    [SkipLocalsInit, MethodImpl(MethodImplOptions.AggressiveOptimization)] // full JIT optimisation from the first call
    public static void AbsorbBlocks(Span<ulong> state, ReadOnlySpan<byte> blocks)
    {
        if (state.Length < Lanes) throw new ArgumentException("Keccak state needs 25 lanes.", nameof(state));
        int blockCount = blocks.Length / BlockBytes;
        if (blockCount == 0) return;
        ref ulong s = ref MemoryMarshal.GetReference(state);
        ref byte input = ref MemoryMarshal.GetReference(blocks);

        // Lane names: A{row}{column}, row b,g,k,m,s = y 0..4; column a,e,i,o,u = x 0..4.
        ulong aba = s, abe = Unsafe.Add(ref s, 1), abi = Unsafe.Add(ref s, 2), abo = Unsafe.Add(ref s, 3), abu = Unsafe.Add(ref s, 4);
        ulong aga = Unsafe.Add(ref s, 5), age = Unsafe.Add(ref s, 6), agi = Unsafe.Add(ref s, 7), ago = Unsafe.Add(ref s, 8), agu = Unsafe.Add(ref s, 9);
        ulong aka = Unsafe.Add(ref s, 10), ake = Unsafe.Add(ref s, 11), aki = Unsafe.Add(ref s, 12), ako = Unsafe.Add(ref s, 13), aku = Unsafe.Add(ref s, 14);
        ulong ama = Unsafe.Add(ref s, 15), ame = Unsafe.Add(ref s, 16), ami = Unsafe.Add(ref s, 17), amo = Unsafe.Add(ref s, 18), amu = Unsafe.Add(ref s, 19);
        ulong asa = Unsafe.Add(ref s, 20), ase = Unsafe.Add(ref s, 21), asi = Unsafe.Add(ref s, 22), aso = Unsafe.Add(ref s, 23), asu = Unsafe.Add(ref s, 24);

        for (int block = 0; block < blockCount; block++)
        {
            aba ^= Lane(ref input, 0); abe ^= Lane(ref input, 1); abi ^= Lane(ref input, 2); abo ^= Lane(ref input, 3); abu ^= Lane(ref input, 4);
            aga ^= Lane(ref input, 5); age ^= Lane(ref input, 6); agi ^= Lane(ref input, 7); ago ^= Lane(ref input, 8); agu ^= Lane(ref input, 9);
            aka ^= Lane(ref input, 10); ake ^= Lane(ref input, 11); aki ^= Lane(ref input, 12); ako ^= Lane(ref input, 13); aku ^= Lane(ref input, 14);
            ama ^= Lane(ref input, 15); ame ^= Lane(ref input, 16);
            input = ref Unsafe.Add(ref input, BlockBytes);

            ReadOnlySpan<ulong> rc = RoundConstants;
            for (int round = 0; round < 24; round += 2)
            {
                // Round `round`: A -> E
                ulong ca = aba ^ aga ^ aka ^ ama ^ asa;
                ulong ce = abe ^ age ^ ake ^ ame ^ ase;
                ulong ci = abi ^ agi ^ aki ^ ami ^ asi;
                ulong co = abo ^ ago ^ ako ^ amo ^ aso;
                ulong cu = abu ^ agu ^ aku ^ amu ^ asu;
                ulong da = cu ^ BitOperations.RotateLeft(ce, 1);
                ulong de = ca ^ BitOperations.RotateLeft(ci, 1);
                ulong di = ce ^ BitOperations.RotateLeft(co, 1);
                ulong dO = ci ^ BitOperations.RotateLeft(cu, 1);
                ulong du = co ^ BitOperations.RotateLeft(ca, 1);

                ulong ba = aba ^ da;
                ulong be = BitOperations.RotateLeft(age ^ de, 44);
                ulong bi = BitOperations.RotateLeft(aki ^ di, 43);
                ulong bo = BitOperations.RotateLeft(amo ^ dO, 21);
                ulong bu = BitOperations.RotateLeft(asu ^ du, 14);
                ulong eba = ba ^ (~be & bi) ^ rc[round];
                ulong ebe = be ^ (~bi & bo);
                ulong ebi = bi ^ (~bo & bu);
                ulong ebo = bo ^ (~bu & ba);
                ulong ebu = bu ^ (~ba & be);

                ba = BitOperations.RotateLeft(abo ^ dO, 28);
                be = BitOperations.RotateLeft(agu ^ du, 20);
                bi = BitOperations.RotateLeft(aka ^ da, 3);
                bo = BitOperations.RotateLeft(ame ^ de, 45);
                bu = BitOperations.RotateLeft(asi ^ di, 61);
                ulong ega = ba ^ (~be & bi);
                ulong ege = be ^ (~bi & bo);
                ulong egi = bi ^ (~bo & bu);
                ulong ego = bo ^ (~bu & ba);
                ulong egu = bu ^ (~ba & be);

                ba = BitOperations.RotateLeft(abe ^ de, 1);
                be = BitOperations.RotateLeft(agi ^ di, 6);
                bi = BitOperations.RotateLeft(ako ^ dO, 25);
                bo = BitOperations.RotateLeft(amu ^ du, 8);
                bu = BitOperations.RotateLeft(asa ^ da, 18);
                ulong eka = ba ^ (~be & bi);
                ulong eke = be ^ (~bi & bo);
                ulong eki = bi ^ (~bo & bu);
                ulong eko = bo ^ (~bu & ba);
                ulong eku = bu ^ (~ba & be);

                ba = BitOperations.RotateLeft(abu ^ du, 27);
                be = BitOperations.RotateLeft(aga ^ da, 36);
                bi = BitOperations.RotateLeft(ake ^ de, 10);
                bo = BitOperations.RotateLeft(ami ^ di, 15);
                bu = BitOperations.RotateLeft(aso ^ dO, 56);
                ulong ema = ba ^ (~be & bi);
                ulong eme = be ^ (~bi & bo);
                ulong emi = bi ^ (~bo & bu);
                ulong emo = bo ^ (~bu & ba);
                ulong emu = bu ^ (~ba & be);

                ba = BitOperations.RotateLeft(abi ^ di, 62);
                be = BitOperations.RotateLeft(ago ^ dO, 55);
                bi = BitOperations.RotateLeft(aku ^ du, 39);
                bo = BitOperations.RotateLeft(ama ^ da, 41);
                bu = BitOperations.RotateLeft(ase ^ de, 2);
                ulong esa = ba ^ (~be & bi);
                ulong ese = be ^ (~bi & bo);
                ulong esi = bi ^ (~bo & bu);
                ulong eso = bo ^ (~bu & ba);
                ulong esu = bu ^ (~ba & be);

                // Round `round + 1`: E -> A
                ca = eba ^ ega ^ eka ^ ema ^ esa;
                ce = ebe ^ ege ^ eke ^ eme ^ ese;
                ci = ebi ^ egi ^ eki ^ emi ^ esi;
                co = ebo ^ ego ^ eko ^ emo ^ eso;
                cu = ebu ^ egu ^ eku ^ emu ^ esu;
                da = cu ^ BitOperations.RotateLeft(ce, 1);
                de = ca ^ BitOperations.RotateLeft(ci, 1);
                di = ce ^ BitOperations.RotateLeft(co, 1);
                dO = ci ^ BitOperations.RotateLeft(cu, 1);
                du = co ^ BitOperations.RotateLeft(ca, 1);

                ba = eba ^ da;
                be = BitOperations.RotateLeft(ege ^ de, 44);
                bi = BitOperations.RotateLeft(eki ^ di, 43);
                bo = BitOperations.RotateLeft(emo ^ dO, 21);
                bu = BitOperations.RotateLeft(esu ^ du, 14);
                aba = ba ^ (~be & bi) ^ rc[round + 1];
                abe = be ^ (~bi & bo);
                abi = bi ^ (~bo & bu);
                abo = bo ^ (~bu & ba);
                abu = bu ^ (~ba & be);

                ba = BitOperations.RotateLeft(ebo ^ dO, 28);
                be = BitOperations.RotateLeft(egu ^ du, 20);
                bi = BitOperations.RotateLeft(eka ^ da, 3);
                bo = BitOperations.RotateLeft(eme ^ de, 45);
                bu = BitOperations.RotateLeft(esi ^ di, 61);
                aga = ba ^ (~be & bi);
                age = be ^ (~bi & bo);
                agi = bi ^ (~bo & bu);
                ago = bo ^ (~bu & ba);
                agu = bu ^ (~ba & be);

                ba = BitOperations.RotateLeft(ebe ^ de, 1);
                be = BitOperations.RotateLeft(egi ^ di, 6);
                bi = BitOperations.RotateLeft(eko ^ dO, 25);
                bo = BitOperations.RotateLeft(emu ^ du, 8);
                bu = BitOperations.RotateLeft(esa ^ da, 18);
                aka = ba ^ (~be & bi);
                ake = be ^ (~bi & bo);
                aki = bi ^ (~bo & bu);
                ako = bo ^ (~bu & ba);
                aku = bu ^ (~ba & be);

                ba = BitOperations.RotateLeft(ebu ^ du, 27);
                be = BitOperations.RotateLeft(ega ^ da, 36);
                bi = BitOperations.RotateLeft(eke ^ de, 10);
                bo = BitOperations.RotateLeft(emi ^ di, 15);
                bu = BitOperations.RotateLeft(eso ^ dO, 56);
                ama = ba ^ (~be & bi);
                ame = be ^ (~bi & bo);
                ami = bi ^ (~bo & bu);
                amo = bo ^ (~bu & ba);
                amu = bu ^ (~ba & be);

                ba = BitOperations.RotateLeft(ebi ^ di, 62);
                be = BitOperations.RotateLeft(ego ^ dO, 55);
                bi = BitOperations.RotateLeft(eku ^ du, 39);
                bo = BitOperations.RotateLeft(ema ^ da, 41);
                bu = BitOperations.RotateLeft(ese ^ de, 2);
                asa = ba ^ (~be & bi);
                ase = be ^ (~bi & bo);
                asi = bi ^ (~bo & bu);
                aso = bo ^ (~bu & ba);
                asu = bu ^ (~ba & be);
            }
        }

        s = aba; Unsafe.Add(ref s, 1) = abe; Unsafe.Add(ref s, 2) = abi; Unsafe.Add(ref s, 3) = abo; Unsafe.Add(ref s, 4) = abu;
        Unsafe.Add(ref s, 5) = aga; Unsafe.Add(ref s, 6) = age; Unsafe.Add(ref s, 7) = agi; Unsafe.Add(ref s, 8) = ago; Unsafe.Add(ref s, 9) = agu;
        Unsafe.Add(ref s, 10) = aka; Unsafe.Add(ref s, 11) = ake; Unsafe.Add(ref s, 12) = aki; Unsafe.Add(ref s, 13) = ako; Unsafe.Add(ref s, 14) = aku;
        Unsafe.Add(ref s, 15) = ama; Unsafe.Add(ref s, 16) = ame; Unsafe.Add(ref s, 17) = ami; Unsafe.Add(ref s, 18) = amo; Unsafe.Add(ref s, 19) = amu;
        Unsafe.Add(ref s, 20) = asa; Unsafe.Add(ref s, 21) = ase; Unsafe.Add(ref s, 22) = asi; Unsafe.Add(ref s, 23) = aso; Unsafe.Add(ref s, 24) = asu;
    }

    // Input lane `index` of a block: 8 little-endian bytes, read without alignment or bounds checks (the
    // caller has checked that the whole block is there).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Lane(ref byte block, int index)
    {
        ulong lane = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref block, 8 * index));
        return BitConverter.IsLittleEndian ? lane : BinaryPrimitives.ReverseEndianness(lane);
    }
}
