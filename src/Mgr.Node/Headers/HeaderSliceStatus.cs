namespace Mgr.Node.Headers;

/// <summary>Where a slice of the download window stands.</summary>
public enum HeaderSliceStatus
{
    /// <summary>Not asked for yet (or dropped and to be asked again).</summary>
    Empty,
    /// <summary>Asked of a peer; the answer is pending.</summary>
    Waiting,
    /// <summary>Downloaded, consistent in itself and with the skeleton (or the trusted edge): ready to connect.</summary>
    Verified,
}
