namespace Mgr.Protocol.Host;

/// <summary>Who opened a connection.</summary>
public enum ConnectionDirection
{
    /// <summary>We dialled.</summary>
    Outbound,
    /// <summary>The peer dialled us.</summary>
    Inbound,
}
