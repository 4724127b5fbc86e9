namespace Mgr.Protocol.Messages;

/// <summary>A message answering the request with the same <see cref="RequestId"/>; 0 marks pushed data.</summary>
public interface IResponse : IMessage
{
    /// <summary>The request answered, or 0 for an unsolicited push.</summary>
    ulong RequestId { get; }
}
