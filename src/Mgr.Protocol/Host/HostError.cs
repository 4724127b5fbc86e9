namespace Mgr.Protocol.Host;

/// <summary>Why a host operation (dial, accept, open stream) failed.</summary>
public enum HostError
{
    /// <summary>The multiaddr is not one the TCP transport can dial or listen on.</summary>
    UnsupportedAddress,
    /// <summary>The TCP connection could not be made (refused, unreachable, DNS failure).</summary>
    DialFailed,
    /// <summary>The host is at <see cref="HostOptions.MaxConnections"/> or <see cref="HostOptions.MaxPendingHandshakes"/>.</summary>
    ConnectionLimit,
    /// <summary>The connection upgrade (multistream, Noise, muxer) did not finish within <see cref="HostOptions.HandshakeTimeout"/>.</summary>
    HandshakeTimeout,
    /// <summary>The Noise handshake failed (bad signature, garbage, truncated or undecryptable frames).</summary>
    SecurityFailed,
    /// <summary>The peer authenticated as another peer id than the dialled <c>/p2p</c> one.</summary>
    PeerIdMismatch,
    /// <summary>multistream-select failed during the upgrade (no common security protocol or muxer, garbage).</summary>
    UpgradeNegotiationFailed,
    /// <summary>There is no open connection to the peer.</summary>
    NotConnected,
    /// <summary>The peer supports none of the protocols proposed for a stream.</summary>
    ProtocolNotSupported,
    /// <summary>A stream's protocol negotiation did not finish within <see cref="HostOptions.StreamNegotiationTimeout"/> or failed.</summary>
    StreamNegotiationFailed,
    /// <summary>The connection closed (or could not open another stream).</summary>
    ConnectionClosed,
    /// <summary>The host is shutting down.</summary>
    HostStopped,
}
