using Mgr.Trie.Headers;

namespace Mgr.Node.Headers;

/// <summary>Checks a downloaded header can be a post-merge header at the expected place: its number, the
/// constants EIP-3675 fixes (difficulty 0, nonce 0, empty ommers), and a timestamp not in the future.</summary>
public static class HeaderSanity
{
    /// <summary>How far ahead of our clock a timestamp may be (clock skew between machines).</summary>
    public static readonly TimeSpan AllowedFutureDrift = TimeSpan.FromSeconds(15);

    /// <summary>The verdict for <paramref name="header"/> expected at <paramref name="number"/>.</summary>
    public static ResponseVerdict Check(BlockHeader header, ulong number, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header.Number != number) return ResponseVerdict.WrongShape;
        if (!header.Difficulty.IsZero || header.Nonce != 0 || header.OmmersHash != BlockHeader.EmptyOmmersHash)
            return ResponseVerdict.FailedSanity;
        if (header.Timestamp > (ulong)(now + AllowedFutureDrift).ToUnixTimeSeconds()) return ResponseVerdict.FailedSanity;
        return ResponseVerdict.Accepted;
    }

    /// <summary>The verdict on the link from <paramref name="child"/> to its <paramref name="parent"/>:
    /// parent hash and strictly increasing timestamps.</summary>
    public static ResponseVerdict CheckLink(BlockHeader parent, BlockHeader child)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(child);
        if (child.ParentHash != parent.Hash) return ResponseVerdict.BrokenLink;
        if (child.Timestamp <= parent.Timestamp) return ResponseVerdict.FailedSanity;
        return ResponseVerdict.Accepted;
    }
}
