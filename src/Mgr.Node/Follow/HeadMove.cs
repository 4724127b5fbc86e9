using Mgr.Trie.Headers;

namespace Mgr.Node.Follow;

/// <summary>How the head moved: from <see cref="From"/> back <see cref="Reverted"/> blocks to their common ancestor
/// <see cref="Ancestor"/>, then forward <see cref="Applied"/> blocks to <see cref="To"/>. A reorg is a move with
/// <see cref="Reverted"/> &gt; 0; moving across layers reads nothing and fetches nothing.</summary>
public sealed record HeadMove(BlockHeader From, BlockHeader To, BlockHeader Ancestor, int Reverted, int Applied)
{
    /// <summary>True when the head left its branch.</summary>
    public bool IsReorg => Reverted > 0;
}
