using Mgr.Trie.Primitives;

namespace Mgr.Protocol.Messages;

/// <summary>An account leaf of an account chunk: the account hash, its trie value
/// (<c>rlp([nonce, balance, storage_root, code_hash])</c>) and its inline storage (every slot when the storage
/// is inline, empty when it is empty or external; §4.6). In a chunk diff an empty <see cref="Value"/> means the
/// account was deleted. Wire form <c>[account_hash, value, [[slot_hash, value]…]]</c>.</summary>
public readonly record struct AccountEntry(Hash256 AccountHash, ReadOnlyMemory<byte> Value, ReadOnlyMemory<SlotEntry> Storage);
