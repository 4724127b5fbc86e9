using Mgr.Trie.Primitives;

namespace Mgr.Node.Follow;

/// <summary>A finished rollback: the state moved from block <see cref="From"/> to <see cref="To"/> over
/// <see cref="Blocks"/> backward diffs, and its root <see cref="StateRoot"/> equals the stored canonical header's at
/// <see cref="To"/> (<see cref="Verified"/>).</summary>
public sealed record RollbackResult(ulong From, Hash256 FromHash, ulong To, Hash256 ToHash, Hash256 StateRoot, ulong Blocks, bool Verified);
