namespace Mgr.Protocol.Messages;

/// <summary>Why a peer ends the session (the wire value of <see cref="Disconnect"/>).</summary>
public enum DisconnectReason : ulong
{
    /// <summary>Shutdown or user request, no fault; also how unknown values are read.</summary>
    Requested = 0,
    /// <summary>Malformed or forbidden message.</summary>
    ProtocolBreach = 1,
    /// <summary>The peer has nothing we need and needs nothing we have.</summary>
    UselessPeer = 2,
    /// <summary>No free peer slot.</summary>
    TooManyPeers = 3,
    /// <summary>Different network id or genesis.</summary>
    IncompatibleNetwork = 4,
    /// <summary>Fork id rejected by the EIP-2124 filter.</summary>
    IncompatibleFork = 5,
    /// <summary>Data that failed verification.</summary>
    BadData = 6,
    /// <summary>Requests not answered in time.</summary>
    Timeout = 7,
    /// <summary>Penalty score exhausted.</summary>
    Banned = 8,
    /// <summary>Protocol version not supported.</summary>
    IncompatibleVersion = 9,
    /// <summary>A second MGR stream for the same peer pair.</summary>
    DuplicateStream = 10,
}
