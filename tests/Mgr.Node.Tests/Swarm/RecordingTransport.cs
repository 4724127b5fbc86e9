using Mgr.Node.Swarm;
using Mgr.Protocol.Messages;

namespace Mgr.Node.Tests.Swarm;

/// <summary>Records what an engine sends, for tests that drive one engine by hand.</summary>
internal sealed class RecordingTransport : ISwarmTransport
{
    public List<(PeerHandle Peer, IMessage Message)> Sent { get; } = [];

    public List<(PeerHandle Peer, DisconnectReason Reason)> Disconnected { get; } = [];

    public void Send(PeerHandle peer, IMessage message) => Sent.Add((peer, message));

    public void Disconnect(PeerHandle peer, DisconnectReason reason) => Disconnected.Add((peer, reason));

    /// <summary>What <see cref="QueuedBytes"/> reports for every peer.</summary>
    public long Queued { get; set; }

    public long QueuedBytes(PeerHandle peer) => Queued;

    public IEnumerable<T> SentTo<T>(PeerHandle peer) => Sent.Where(entry => entry.Peer == peer).Select(static entry => entry.Message).OfType<T>();
}
