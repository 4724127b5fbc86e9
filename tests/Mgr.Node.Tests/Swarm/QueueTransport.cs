using Mgr.Node.Swarm;
using Mgr.Protocol.Messages;

namespace Mgr.Node.Tests.Swarm;

/// <summary>Records what an engine sends, with a back-pressure figure the test sets (per peer, or one for all).</summary>
internal sealed class QueueTransport : ISwarmTransport
{
    public List<(PeerHandle Peer, IMessage Message)> Sent { get; } = [];

    public List<(PeerHandle Peer, DisconnectReason Reason)> Disconnected { get; } = [];

    /// <summary>Bytes reported queued towards any peer not in <see cref="QueuedFor"/>.</summary>
    public long Queued { get; set; }

    public Dictionary<PeerHandle, long> QueuedFor { get; } = [];

    public void Send(PeerHandle peer, IMessage message) => Sent.Add((peer, message));

    public void Disconnect(PeerHandle peer, DisconnectReason reason) => Disconnected.Add((peer, reason));

    public long QueuedBytes(PeerHandle peer) => QueuedFor.TryGetValue(peer, out long queued) ? queued : Queued;

    public IEnumerable<T> SentTo<T>(PeerHandle peer) => Sent.Where(entry => entry.Peer == peer).Select(static entry => entry.Message).OfType<T>();
}
