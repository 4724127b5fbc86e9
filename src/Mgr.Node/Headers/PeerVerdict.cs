using Mgr.Protocol.Identity;

namespace Mgr.Node.Headers;

/// <summary>A verdict on an earlier answer of <see cref="Peer"/>, reached once other data settled it.</summary>
public readonly record struct PeerVerdict(PeerId Peer, ResponseVerdict Verdict);
