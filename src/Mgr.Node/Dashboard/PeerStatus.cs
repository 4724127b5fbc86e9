using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;

namespace Mgr.Node.Dashboard;

/// <summary>A connected peer as this node sees it: its role, the account keyspace it last announced holding,
/// payload bytes exchanged with it and its current penalty score.</summary>
public sealed record PeerStatus(string PeerId, Role Role, KeyRangeSet Coverage, long BytesIn, long BytesOut, double PenaltyScore);
