using Mgr.Protocol.Messages;

namespace Mgr.Node.Swarm;

/// <summary>Sends <paramref name="request"/> to <paramref name="peer"/> under <paramref name="id"/> and books it as
/// <paramref name="pending"/> (the engine's one way of asking a peer for something).</summary>
internal delegate void RequestSender(RemotePeer peer, ulong id, PendingRequest pending, IRequest request);
