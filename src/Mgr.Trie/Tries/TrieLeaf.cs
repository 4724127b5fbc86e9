using Mgr.Trie.Primitives;

namespace Mgr.Trie.Tries;

/// <summary>A leaf of a trie with 32-byte keys (state and storage tries): its key and its value.</summary>
/// <remarks>The value may point into a shared buffer (a decoded message, a store page): copy it if you keep it.</remarks>
public readonly record struct TrieLeaf(Hash256 Key, ReadOnlyMemory<byte> Value);
