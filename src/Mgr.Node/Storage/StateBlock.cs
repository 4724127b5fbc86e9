using Mgr.Trie.Primitives;

namespace Mgr.Node.Storage;

/// <summary>The block whose state the flat state (and the newest trie root) of a store holds: the persistent base of
/// follow mode, the starting point of a rollback.</summary>
public readonly record struct StateBlock(ulong Number, Hash256 Hash, Hash256 StateRoot);
