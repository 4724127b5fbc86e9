using Mgr.Trie.Headers;

namespace Mgr.Node.Follow;

/// <summary>What one follow step did: its <see cref="Status"/>, the head afterwards, how the head moved (null when it
/// did not), how many blocks were verified and added, how many diffs were fetched (including refused ones), the last
/// refused answer, a detail for statuses other than <see cref="FollowStatus.Followed"/>, and how many blocks
/// finalization flattened into the store.</summary>
public sealed record FollowOutcome(FollowStatus Status, BlockHeader Head, HeadMove? Move, int Added, int Fetched, DiffRejection? Rejection,
    string? Detail = null, int Flattened = 0);
