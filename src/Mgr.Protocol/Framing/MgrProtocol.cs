namespace Mgr.Protocol.Framing;

/// <summary>The libp2p binding of MGR (spec/mgr-protocol.md §1): the protocol id of the one long-lived duplex
/// stream per peer pair, which carries frames read by <see cref="FrameReader"/> and written by <see cref="FrameWriter"/>.</summary>
public static class MgrProtocol
{
    /// <summary>The multistream-select protocol id.</summary>
    public const string Id = "/mgr/1";
}
