using Mgr.Trie.Primitives;

namespace Mgr.Node.Storage;

/// <summary>A trie node as stored: its hash (Keccak-256 of the RLP) and the RLP itself.</summary>
public readonly record struct TrieNodeBlob(Hash256 Hash, ReadOnlyMemory<byte> Rlp);
