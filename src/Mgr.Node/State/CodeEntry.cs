using Mgr.Trie.Primitives;

namespace Mgr.Node.State;

/// <summary>Contract code introduced by a block: <see cref="Hash"/> is Keccak-256 of <see cref="Code"/> (decoding
/// computes it; it never travels).</summary>
public sealed record CodeEntry(Hash256 Hash, ReadOnlyMemory<byte> Code);
