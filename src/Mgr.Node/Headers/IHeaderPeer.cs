using Mgr.Protocol.Identity;

namespace Mgr.Node.Headers;

/// <summary>A peer as the header sync sees it: who it is, what head it claims, and how to ask it for headers.
/// Real peers answer over the MGR protocol; tests use fake peers serving an in-memory chain.</summary>
public interface IHeaderPeer
{
    PeerId Id { get; }

    /// <summary>The head block number the peer claimed in its status (untrusted; for progress estimates only).</summary>
    ulong ClaimedHead { get; }

    /// <summary>The peer's answer: header RLPs in the order asked (possibly fewer). Throws (any
    /// exception) when the peer disconnects or fails; the dispatcher applies its own timeout.</summary>
    Task<IReadOnlyList<ReadOnlyMemory<byte>>> GetBlockHeadersAsync(HeaderQuery query, CancellationToken cancellation);
}
