namespace Mgr.Protocol.Messages;

/// <summary>What a peer does in the swarm (Status.role).</summary>
public enum Role : ulong
{
    /// <summary>Syncing: holds part of the state.</summary>
    Leecher = 0,
    /// <summary>Holds the whole state of its announced epoch.</summary>
    Seeder = 1,
}
