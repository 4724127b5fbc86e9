using Mgr.Protocol.Messages;

namespace Mgr.Node.Swarm;

/// <summary>The engine's only way out: the actions it emits. Implemented over libp2p streams
/// (<c>Libp2pSwarmTransport</c>) and over the in-memory <see cref="Simulation.SimulatedNetwork"/>.</summary>
/// <remarks>Called only from the engine's loop. Implementations must not block and must not call back into the
/// engine synchronously: they queue the message and deliver it later.</remarks>
public interface ISwarmTransport
{
    /// <summary>Queues <paramref name="message"/> for <paramref name="peer"/>; silently dropped when the peer is gone.</summary>
    void Send(PeerHandle peer, IMessage message);

    /// <summary>Sends <c>Disconnect(reason)</c> after what is queued and closes the session.</summary>
    void Disconnect(PeerHandle peer, DisconnectReason reason);

    /// <summary>Bytes queued towards <paramref name="peer"/> and not yet written: the engine's back-pressure signal.</summary>
    long QueuedBytes(PeerHandle peer);
}
