namespace Mgr.Protocol.Messages;

/// <summary>A message that expects exactly one response with the same <see cref="RequestId"/> (never 0).</summary>
public interface IRequest : IMessage
{
    /// <summary>Chosen by the requester, unique among its outstanding requests on the stream.</summary>
    ulong RequestId { get; }
}
