using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>Outcome of recomputing a state root from the store: the root found, the accounts and slots walked, and,
/// when it does not match, what was wrong (a value, not an exception).</summary>
public sealed record StateVerification(bool IsValid, Hash256 ComputedRoot, long Accounts, long Slots, string? Problem);
