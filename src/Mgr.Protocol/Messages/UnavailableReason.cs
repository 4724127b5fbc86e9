namespace Mgr.Protocol.Messages;

/// <summary>Why a server answers a request with <see cref="Unavailable"/> (§4.5).</summary>
public enum UnavailableReason : ulong
{
    /// <summary>The epoch or root is not held.</summary>
    UnknownEpoch = 0,
    /// <summary>The diff reaches further back than the server keeps.</summary>
    DiffWindowPassed = 1,
    /// <summary>The chunk or diff exceeds <see cref="Limits.MaxStateDataBytes"/>: ask for the 16 children.</summary>
    TooLarge = 2,
    /// <summary>In-flight or rate limit reached.</summary>
    Busy = 3,
    /// <summary>This node does not serve this kind of request; also how unknown values are read.</summary>
    NotServing = 4,
}
