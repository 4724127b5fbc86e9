using Mgr.Protocol.Identity;

namespace Mgr.Node.Headers;

/// <summary>Decides what to ask peers and judges their answers; a dispatcher decides who is asked and when.</summary>
/// <remarks>Called from one loop only (the dispatcher's); implementations need no locking.</remarks>
public interface IRequestFeed<TRequest, TResponse> where TRequest : class
{
    /// <summary>The next request, or null when there is nothing to ask right now (see <see cref="IsComplete"/>).</summary>
    ValueTask<TRequest?> NextAsync(CancellationToken cancellation);

    /// <summary>Judges <paramref name="response"/> (null when the peer timed out or went away).</summary>
    ResponseVerdict Accept(TRequest request, TResponse? response, PeerId from);

    /// <summary>A verdict on an earlier answer that later data settled (e.g. a lying skeleton), if any.</summary>
    bool TryTakeLateVerdict(out PeerVerdict verdict);

    /// <summary>True once nothing will ever be asked again.</summary>
    bool IsComplete { get; }
}
