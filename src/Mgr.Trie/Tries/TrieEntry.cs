namespace Mgr.Trie.Tries;

/// <summary>A key and its value in a trie.</summary>
public readonly record struct TrieEntry(byte[] Key, byte[] Value);
