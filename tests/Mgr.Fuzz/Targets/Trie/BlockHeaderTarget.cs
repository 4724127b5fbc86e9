using Mgr.Fuzz.Engine;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;

namespace Mgr.Fuzz.Targets.Trie;

/// <summary>BlockHeader.Decode. Oracle: strict decoding promises that an accepted header re-encodes to the same bytes.
/// Documented failure: <see cref="HeaderDecodeException"/>. Budget: 8 KiB + 4 B per input byte (the header object,
/// a copy of extra-data and the re-encoding made by the oracle).</summary>
internal sealed class BlockHeaderTarget : FuzzTarget
{
    public override string Name => "header";

    public override InputFormat Format => InputFormat.Rlp;

    public override AllocationBudget Budget => new(8192, 4);

    public override IEnumerable<byte[]> Seeds()
    {
        UInt256 baseFee = UInt256.FromBigEndian([0x3b, 0x9a, 0xca, 0x00]);
        yield return Header(UInt256.FromBigEndian([0x02, 0x00, 0x00]), 0x0102030405060708, null, null, null, null).Encode();
        yield return Header(UInt256.FromBigEndian([0x02]), 42, baseFee, null, null, null).Encode();
        yield return Header(UInt256.Zero, 0, baseFee, Hash256.EmptyTrieRoot, null, null).Encode();
        yield return Header(UInt256.Zero, 0, baseFee, Hash256.EmptyTrieRoot, 131072, null).Encode();
        yield return Header(UInt256.Zero, 0, baseFee, Hash256.EmptyTrieRoot, 0, BlockHeader.EmptyRequestsHash).Encode();
    }

    private static BlockHeader Header(UInt256 difficulty, ulong nonce, UInt256? baseFee, Hash256? withdrawals, ulong? blobGas, Hash256? requests) => new()
    {
        ParentHash = Keccak(1), Coinbase = new Address(Enumerable.Repeat((byte)0xaa, 20).ToArray()), StateRoot = Keccak(2),
        Difficulty = difficulty, Number = 1_000_000, GasLimit = 30_000_000, GasUsed = 21_000, Timestamp = 1_700_000_000,
        ExtraData = new byte[] { 0x01, 0x02, 0x03 }, MixHash = Keccak(3), Nonce = nonce, BaseFeePerGas = baseFee, WithdrawalsRoot = withdrawals,
        BlobGasUsed = blobGas, ExcessBlobGas = blobGas is null ? null : 0, ParentBeaconBlockRoot = blobGas is null ? null : Keccak(4), RequestsHash = requests,
    };

    public override string Execute(byte[] input)
    {
        BlockHeader header = BlockHeader.Decode(input);
        byte[] again = header.Encode();
        if (!again.AsSpan().SequenceEqual(input)) throw new FuzzOracleException($"accepted header re-encodes to {Convert.ToHexStringLower(again)}");
        return header.Fork.ToString();
    }

    public override string? Classify(Exception error) => error is HeaderDecodeException header ? $"header:{header.Reason}" : null;

    private static Hash256 Keccak(byte seed) => Mgr.Trie.Crypto.Keccak256.Compute([seed]);
}
