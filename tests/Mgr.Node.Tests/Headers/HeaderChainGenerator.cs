using Mgr.Node.Chain;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;

namespace Mgr.Node.Tests.Headers;

/// <summary>Deterministic chains of valid post-merge (Cancun) headers for tests: linked parent hashes,
/// sequential numbers, 12-second timestamps, difficulty 0, nonce 0, empty ommers, seeded roots.</summary>
public static class HeaderChainGenerator
{
    public const ulong GenesisTimestamp = 1_700_000_000;

    /// <summary><paramref name="count"/> headers numbered 0…count-1; the same seed gives the same chain.</summary>
    public static BlockHeader[] Generate(int count, int seed) => Fork([], 0, count, seed);

    /// <summary>A chain that shares <paramref name="chain"/>'s first <paramref name="shared"/> headers and then
    /// continues with its own, up to <paramref name="count"/> headers in all.</summary>
    public static BlockHeader[] Fork(BlockHeader[] chain, int shared, int count, int seed)
    {
        var random = new Random(seed);
        var headers = new BlockHeader[count];
        Array.Copy(chain, headers, shared);
        Span<byte> bytes = stackalloc byte[32];
        Hash256 parent = shared == 0 ? Hash256.Zero : chain[shared - 1].Hash;
        for (int i = shared; i < count; i++)
        {
            random.NextBytes(bytes);
            var stateRoot = new Hash256(bytes);
            random.NextBytes(bytes);
            var randao = new Hash256(bytes);
            headers[i] = new BlockHeader
            {
                ParentHash = parent,
                Coinbase = Address.Zero,
                StateRoot = stateRoot,
                Difficulty = UInt256.Zero,
                Number = (ulong)i,
                GasLimit = 30_000_000,
                GasUsed = (ulong)random.Next(0, 30_000_000),
                Timestamp = GenesisTimestamp + 12 * (ulong)i,
                ExtraData = "mgr"u8.ToArray(),
                MixHash = randao,
                Nonce = 0,
                BaseFeePerGas = (ulong)random.Next(7, 1000),
                WithdrawalsRoot = Hash256.EmptyTrieRoot,
                BlobGasUsed = 0,
                ExcessBlobGas = 0,
                ParentBeaconBlockRoot = randao,
            };
            parent = headers[i].Hash;
        }
        return headers;
    }

    /// <summary>The checkpoint naming <paramref name="header"/>, with its RLP.</summary>
    public static WeakSubjectivityCheckpoint Checkpoint(BlockHeader header) => new(header.Number, header.Hash, header.Encode());
}
