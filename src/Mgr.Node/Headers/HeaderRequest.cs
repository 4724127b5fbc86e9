using Mgr.Protocol.Identity;

namespace Mgr.Node.Headers;

/// <summary>A request of the reverse header feed: a skeleton (every 192nd header of slices
/// <see cref="FirstSlice"/>… ) or one slice's headers. Carries the query and the peers not to ask.</summary>
public sealed record HeaderRequest(HeaderRequestKind Kind, long FirstSlice, int SliceCount, HeaderQuery Query,
    IReadOnlySet<PeerId> Excluded, long Generation);
