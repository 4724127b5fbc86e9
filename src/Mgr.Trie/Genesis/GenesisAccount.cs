using Mgr.Trie.Primitives;

namespace Mgr.Trie.Genesis;

/// <summary>One <c>alloc</c> entry of a genesis file: the account's balance, nonce, code and storage.</summary>
/// <remarks><see cref="Storage"/> maps a slot to its 32-byte word; zero words are kept here as written but
/// never stored in the storage trie (zero means absent, as in geth).</remarks>
public sealed record GenesisAccount(UInt256 Balance, ulong Nonce, ReadOnlyMemory<byte> Code, IReadOnlyDictionary<Hash256, UInt256> Storage);
