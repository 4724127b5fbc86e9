namespace Mgr.Node.Swarm;

/// <summary>The engine's name for a remote peer. The transport assigns it and keeps it stable for the same remote
/// identity across reconnections, so penalties and bans follow the peer, not the connection.</summary>
public readonly record struct PeerHandle(int Id)
{
    public override string ToString() => $"peer#{Id}";
}
