using Mgr.Protocol.Addressing;
using Mgr.Protocol.Identity;
using Microsoft.Extensions.Logging;

namespace Mgr.Protocol.Host;

/// <summary>Log messages of the host and its connections.</summary>
internal static partial class HostLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Listening on {Address}")]
    public static partial void Listening(ILogger logger, Multiaddr address);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "Connection {Direction} {Peer} at {Address} established")]
    public static partial void Connected(ILogger logger, ConnectionDirection direction, PeerId peer, Multiaddr address);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Debug, Message = "Connection {Direction} {Peer} at {Address} closed: {Reason}")]
    public static partial void Closed(ILogger logger, ConnectionDirection direction, PeerId peer, Multiaddr address, ConnectionCloseReason reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Inbound connection from {Address} rejected during the upgrade: {Reason}")]
    public static partial void InboundUpgradeFailed(ILogger logger, Multiaddr address, HostError reason, Exception exception);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Inbound connection from {Address} refused: {Reason}")]
    public static partial void InboundRefused(ILogger logger, Multiaddr address, HostError reason);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Debug, Message = "Inbound stream from {Peer} dropped during protocol negotiation")]
    public static partial void StreamNegotiationFailed(ILogger logger, PeerId peer, Exception exception);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "Handler for {Protocol} failed on a stream from {Peer}")]
    public static partial void HandlerFailed(ILogger logger, string protocol, PeerId peer, Exception exception);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "Accepting on {Address} failed")]
    public static partial void AcceptFailed(ILogger logger, Multiaddr address, Exception exception);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "Stream handlers of {Peer} did not finish within the close timeout")]
    public static partial void HandlersOutlivedClose(ILogger logger, PeerId peer);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Warning, Message = "A Connected event handler failed for {Peer}")]
    public static partial void ConnectedHandlerFailed(ILogger logger, PeerId peer, Exception exception);
}
