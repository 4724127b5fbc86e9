using Mgr.Trie.Primitives;

namespace Mgr.Node.Storage;

/// <summary>An account leaf of the flat state: hashed address and account RLP. <see cref="Value"/> usually points
/// into a received message buffer; it is copied when written to a batch.</summary>
public readonly record struct FlatLeaf(Hash256 Key, ReadOnlyMemory<byte> Value);
