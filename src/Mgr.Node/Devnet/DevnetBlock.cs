using Mgr.Node.State;
using Mgr.Trie.Headers;

namespace Mgr.Node.Devnet;

/// <summary>One devnet block: its header (whose state root is the state after <see cref="Diff"/>) and the state diff
/// that takes its parent's state to it.</summary>
public sealed record DevnetBlock(BlockHeader Header, StateDiff Diff);
