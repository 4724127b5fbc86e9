using System.Buffers.Binary;
using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;

namespace Mgr.Node.Devnet;

/// <summary>The deterministic derivations of a devnet: every address, code, slot and value is Keccak-256 of
/// (seed, domain, a, b), so any of them can be recomputed from its index without keeping lists in memory.</summary>
/// <remarks>Accounts are numbered: EOA <c>i</c> (genesis EOAs are 0..N−1, then two new ones per block), contract
/// <c>j</c> (genesis contracts 0..C−1, then one new one every <see cref="BlocksPerNewContract"/> blocks). Slot
/// <c>i</c> of a contract is the 32-byte big-endian number i (as Solidity lays out simple variables). Stateless and
/// thread-safe.</remarks>
public sealed class DevnetKeys(DevnetParameters parameters)
{
    /// <summary>New EOAs created by every block.</summary>
    public const int NewAccountsPerBlock = 2;

    /// <summary>A new contract (with code and a few slots) is created by every block whose number is a multiple of this.</summary>
    public const int BlocksPerNewContract = 10;

    private enum Domain : byte
    {
        Eoa = 1, Contract = 2, Code = 3, SlotValue = 4, Balance = 5, Operation = 6, Randao = 7, BeaconRoot = 8, FeeRecipient = 9,
    }

    public DevnetParameters Parameters { get; } = parameters ?? throw new ArgumentNullException(nameof(parameters));

    /// <summary>Address of EOA <paramref name="index"/>.</summary>
    public Address EoaAddress(long index) => AddressOf(Derive(Domain.Eoa, (ulong)index, 0));

    /// <summary>Address of contract <paramref name="index"/>.</summary>
    public Address ContractAddress(long index) => AddressOf(Derive(Domain.Contract, (ulong)index, 0));

    /// <summary>Number of EOAs created before block <paramref name="number"/> (genesis ones included).</summary>
    public long EoasBefore(ulong number) => Parameters.Accounts + (long)(number == 0 ? 0 : number - 1) * NewAccountsPerBlock;

    /// <summary>Number of contracts created before block <paramref name="number"/> (genesis ones included).</summary>
    public long ContractsBefore(ulong number) => Parameters.Contracts + (long)(number == 0 ? 0 : (number - 1) / BlocksPerNewContract);

    /// <summary>Initial slot count of contract <paramref name="index"/>: the first genesis contract has
    /// <see cref="DevnetParameters.MaxSlots"/>, genesis contract j about S/(j+1) (a long tail, at least 1 when S ≥ 1),
    /// later contracts 4 to 16.</summary>
    public long InitialSlotCount(long index)
    {
        if (index >= Parameters.Contracts) return 4 + index % 13;
        if (Parameters.MaxSlots == 0) return 0;
        return Math.Max(1, Parameters.MaxSlots / (index + 1));
    }

    /// <summary>Initial balance of EOA <paramref name="index"/> (≥ 1 ether).</summary>
    public UInt256 InitialBalance(long index)
    {
        Hash256 h = Derive(Domain.Balance, (ulong)index, 0);
        return new UInt256(1_000_000_000_000_000_000UL) + new UInt256(h.Word(3) >> 8);
    }

    /// <summary>The code of contract <paramref name="index"/>: 48 to 560 bytes, unique per contract.</summary>
    public byte[] Code(long index)
    {
        Hash256 first = Derive(Domain.Code, (ulong)index, 0);
        int length = 48 + (first[0] << 1);
        var code = new byte[length];
        // A plausible prologue (PUSH1 0x80 PUSH1 0x40 MSTORE), then derived bytes.
        ReadOnlySpan<byte> prologue = [0x60, 0x80, 0x60, 0x40, 0x52];
        prologue.CopyTo(code);
        Span<byte> bytes = stackalloc byte[Hash256.Length];
        for (int offset = prologue.Length, block = 1; offset < length; offset += Hash256.Length, block++)
        {
            Derive(Domain.Code, (ulong)index, (ulong)block).CopyTo(bytes);
            bytes[..Math.Min(Hash256.Length, length - offset)].CopyTo(code.AsSpan(offset));
        }
        return code;
    }

    /// <summary>The 32-byte slot key of slot number <paramref name="slot"/>.</summary>
    public static Hash256 SlotKey(long slot)
    {
        Span<byte> bytes = stackalloc byte[Hash256.Length];
        bytes.Clear();
        BinaryPrimitives.WriteUInt64BigEndian(bytes[24..], (ulong)slot);
        return new Hash256(bytes);
    }

    /// <summary>Keccak-256 of <see cref="SlotKey"/>: the storage-trie key.</summary>
    public static Hash256 SlotHash(long slot) => StorageSlot.KeyOf(SlotKey(slot));

    /// <summary>A non-zero word of 1 to 32 bytes derived from (contract, slot, version).</summary>
    public UInt256 SlotValue(long contract, long slot, ulong version)
    {
        Hash256 h = Derive(Domain.SlotValue, (ulong)contract, ((ulong)slot << 16) ^ version);
        Span<byte> bytes = stackalloc byte[Hash256.Length];
        h.CopyTo(bytes);
        int length = 1 + bytes[0] % Hash256.Length;
        UInt256 value = UInt256.FromBigEndian(bytes[(Hash256.Length - length)..]);
        return value.IsZero ? UInt256.One : value;
    }

    /// <summary>Pseudo-random words for operation <paramref name="operation"/> of block <paramref name="number"/>.</summary>
    public Hash256 OperationEntropy(ulong number, int operation) => Derive(Domain.Operation, number, (ulong)operation);

    /// <summary>prevRandao of block <paramref name="number"/>.</summary>
    public Hash256 PrevRandao(ulong number) => Derive(Domain.Randao, number, 0);

    /// <summary>parentBeaconBlockRoot of block <paramref name="number"/> (stands in for a beacon chain's block root).</summary>
    public Hash256 ParentBeaconBlockRoot(ulong number) => Derive(Domain.BeaconRoot, number, 0);

    /// <summary>The fee recipient of every devnet block.</summary>
    public Address FeeRecipient => AddressOf(Derive(Domain.FeeRecipient, 0, 0));

    private Hash256 Derive(Domain domain, ulong a, ulong b)
    {
        Span<byte> input = stackalloc byte[25];
        BinaryPrimitives.WriteUInt64BigEndian(input, Parameters.Seed);
        input[8] = (byte)domain;
        BinaryPrimitives.WriteUInt64BigEndian(input[9..], a);
        BinaryPrimitives.WriteUInt64BigEndian(input[17..], b);
        return Keccak256.Compute(input);
    }

    private static Address AddressOf(Hash256 hash)
    {
        Span<byte> bytes = stackalloc byte[Hash256.Length];
        hash.CopyTo(bytes);
        return new Address(bytes[12..]);
    }
}
