namespace Mgr.Node.Headers;

/// <summary>How a feed judged a peer's answer; the dispatcher turns faults into penalties.</summary>
public enum ResponseVerdict
{
    /// <summary>Used as is.</summary>
    Accepted,
    /// <summary>Consistent in itself but contradicts another peer's data; judged later (no penalty yet).</summary>
    Unconfirmed,
    /// <summary>No answer in time, or the peer went away.</summary>
    NoResponse,
    /// <summary>Not decodable as headers.</summary>
    Malformed,
    /// <summary>Wrong count or block numbers for the query.</summary>
    WrongShape,
    /// <summary>Breaks a post-merge rule: difficulty, nonce, ommers, timestamps.</summary>
    FailedSanity,
    /// <summary>Hashes do not link (inside the answer, or to trusted neighbours).</summary>
    BrokenLink,
}
