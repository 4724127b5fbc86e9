using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;

namespace Mgr.Node.Swarm;

/// <summary>One connected peer as the engine sees it, for status displays: its role and the account keyspace it holds
/// on its announced epoch, payload bytes exchanged with it, and its penalty score.</summary>
public sealed record PeerView(PeerHandle Peer, Role Role, KeyRangeSet Accounts, long BytesIn, long BytesOut, double Score);
