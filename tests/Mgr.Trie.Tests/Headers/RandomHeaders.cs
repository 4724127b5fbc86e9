using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;

namespace Mgr.Trie.Tests.Headers;

/// <summary>Seeded random block headers of a chosen fork, with integer widths that exercise every RLP length class.</summary>
public static class RandomHeaders
{
    public static readonly HeaderFork[] AllForks = [HeaderFork.PreLondon, HeaderFork.London, HeaderFork.Shanghai, HeaderFork.Cancun, HeaderFork.Prague];

    public static BlockHeader Create(Random random, HeaderFork fork)
    {
        ulong gasLimit = Number(random);
        return new BlockHeader
        {
            ParentHash = Hash(random),
            OmmersHash = random.Next(2) == 0 ? BlockHeader.EmptyOmmersHash : Hash(random),
            Coinbase = new Address(Bytes(random, Address.Length)),
            StateRoot = Hash(random),
            TransactionsRoot = Hash(random),
            ReceiptsRoot = Hash(random),
            LogsBloom = random.Next(3) == 0 ? Bloom.Empty : new Bloom(Bytes(random, Bloom.Length)),
            Difficulty = Big(random),
            Number = Number(random),
            GasLimit = gasLimit,
            GasUsed = gasLimit == 0 ? 0 : (ulong)random.NextInt64() % gasLimit,
            Timestamp = Number(random),
            ExtraData = Bytes(random, random.Next(33)),
            MixHash = Hash(random),
            Nonce = Number(random),
            BaseFeePerGas = fork >= HeaderFork.London ? Big(random) : null,
            WithdrawalsRoot = fork >= HeaderFork.Shanghai ? Hash(random) : null,
            BlobGasUsed = fork >= HeaderFork.Cancun ? Number(random) : null,
            ExcessBlobGas = fork >= HeaderFork.Cancun ? Number(random) : null,
            ParentBeaconBlockRoot = fork >= HeaderFork.Cancun ? Hash(random) : null,
            RequestsHash = fork >= HeaderFork.Prague ? Hash(random) : null,
        };
    }

    public static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static Hash256 Hash(Random random) => new(Bytes(random, 32));

    // 0, a single byte below 0x80, or 1..8 random bytes.
    private static ulong Number(Random random) => random.Next(4) switch
    {
        0 => 0,
        1 => (ulong)random.Next(0x80),
        _ => (ulong)random.NextInt64() >> random.Next(64),
    };

    private static UInt256 Big(Random random) => random.Next(3) == 0
        ? new UInt256(Number(random))
        : UInt256.FromBigEndian(Bytes(random, random.Next(1, 33)));
}
