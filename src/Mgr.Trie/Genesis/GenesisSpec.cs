using Mgr.Trie.Primitives;
using Mgr.Trie.State;

namespace Mgr.Trie.Genesis;

/// <summary>A parsed geth-style <c>genesis.json</c>: the chain config, the genesis header's own fields and
/// the initial allocation. Build the genesis block from it with <see cref="GenesisBuilder"/>.</summary>
/// <remarks>The optional header fields (<see cref="BaseFeePerGas"/>, <see cref="ExcessBlobGas"/>,
/// <see cref="BlobGasUsed"/>) are null when the file leaves them out; the builder then applies geth's
/// defaults for the forks active at genesis.</remarks>
public sealed record GenesisSpec
{
    public required ChainConfig Config { get; init; }
    public required ulong Nonce { get; init; }
    public required ulong Timestamp { get; init; }
    public required ReadOnlyMemory<byte> ExtraData { get; init; }
    public required ulong GasLimit { get; init; }
    public required UInt256 Difficulty { get; init; }
    public required Hash256 MixHash { get; init; }
    public required Address Coinbase { get; init; }
    public required ulong Number { get; init; }
    public required ulong GasUsed { get; init; }
    public required Hash256 ParentHash { get; init; }
    public UInt256? BaseFeePerGas { get; init; }
    public ulong? ExcessBlobGas { get; init; }
    public ulong? BlobGasUsed { get; init; }
    public required IReadOnlyDictionary<Address, GenesisAccount> Alloc { get; init; }
}
