using Mgr.Trie.Primitives;

namespace Mgr.Node.Follow;

/// <summary>A refused answer for block <see cref="Number"/> (<see cref="Hash"/>): the typed reason and a one-line
/// detail. The caller that fetched it penalises the sender and asks someone else.</summary>
public sealed record DiffRejection(Hash256 Hash, ulong Number, DiffRejectionReason Reason, string Detail);
