namespace Mgr.Protocol.Transport.PeerExchange;

/// <summary>A peer list received on <c>/mgr/peers/1.0.0</c> was rejected (oversized, malformed, or an address without a
/// dialable <c>/tcp</c> and <c>/p2p</c> part).</summary>
public sealed class PeerExchangeException : IOException
{
    public PeerExchangeException() : this("Malformed peer list.") { }

    public PeerExchangeException(string message) : base(message) { }

    public PeerExchangeException(string message, Exception innerException) : base(message, innerException) { }
}
