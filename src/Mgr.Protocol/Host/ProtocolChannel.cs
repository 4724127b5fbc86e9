using Mgr.Protocol.Addressing;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Transport.Yamux;

namespace Mgr.Protocol.Host;

/// <summary>A muxed stream (a channel) whose protocol has been agreed with multistream-select, with the connection it belongs to.
/// Handlers receive one per inbound stream; <see cref="PeerConnection.OpenStreamAsync(string, CancellationToken)"/>
/// returns one. Read and write <see cref="Stream"/> (one reader and one writer at a time); dispose when done.</summary>
public sealed class ProtocolChannel : IAsyncDisposable
{
    private readonly YamuxStream _stream;

    internal ProtocolChannel(YamuxStream stream, string protocol, PeerConnection connection)
    {
        _stream = stream;
        Protocol = protocol;
        Connection = connection;
    }

    /// <summary>The stream's bytes after negotiation. Reads return 0 once the peer has closed its side.</summary>
    public Stream Stream => _stream;

    /// <summary>The negotiated protocol id.</summary>
    public string Protocol { get; }

    /// <summary>The connection carrying the stream.</summary>
    public PeerConnection Connection { get; }

    /// <summary>The authenticated remote peer.</summary>
    public PeerId RemotePeer => Connection.RemotePeer;

    /// <summary>The remote transport address (without <c>/p2p</c>).</summary>
    public Multiaddr RemoteAddress => Connection.RemoteAddress;

    /// <summary>Closes our side for writing (the peer reads end of stream); reading goes on.</summary>
    public ValueTask CloseWriteAsync() => _stream.CloseWriteAsync();

    /// <summary>Aborts the stream in both directions.</summary>
    public void Reset() => _stream.Reset();

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
