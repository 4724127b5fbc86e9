using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>An account chunk after a verified roll-forward: every account with the storage to keep in the store
/// (the diff's inline storage where it changed, the stored slots otherwise), and which accounts have external storage
/// at the new root.</summary>
internal sealed record RolledAccounts(AccountEntry[] Accounts, HashSet<Hash256> External);
