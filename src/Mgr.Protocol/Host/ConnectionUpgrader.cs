using System.Net.Sockets;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Transport.Multistream;
using Mgr.Protocol.Transport.Noise;
using Mgr.Protocol.Transport.Tcp;
using Mgr.Protocol.Transport.Yamux;
using Microsoft.Extensions.Logging;

namespace Mgr.Protocol.Host;

/// <summary>Turns a raw TCP connection into a secured, multiplexed one: multistream-select → <c>/noise</c> →
/// multistream-select → <c>/yamux/1.0.0</c>. On failure the TCP connection is closed and a
/// <see cref="HostException"/> says which step failed.</summary>
internal sealed class ConnectionUpgrader(NoiseSecurity noise, YamuxOptions yamuxOptions, ILogger logger)
{
    public const string MuxerProtocolId = "/yamux/1.0.0";

    private static readonly string[] SecurityProtocols = [NoiseSecurity.ProtocolId];
    private static readonly string[] MuxerProtocols = [MuxerProtocolId];

    /// <summary>Upgrades as the dialer, checking the peer's id against <paramref name="expectedPeer"/> when given.</summary>
    public async Task<(YamuxSession Session, NoiseStream Secured)> UpgradeOutboundAsync(TcpConnection tcp, PeerId? expectedPeer, CancellationToken cancellation)
    {
        NoiseStream? secured = null;
        try
        {
            await MultistreamSelect.SelectAsync(tcp.Stream, SecurityProtocols, cancellation).ConfigureAwait(false);
            secured = await noise.SecureOutboundAsync(tcp.Stream, expectedPeer, cancellation).ConfigureAwait(false);
            await MultistreamSelect.SelectAsync(secured, MuxerProtocols, cancellation).ConfigureAwait(false);
            return (new YamuxSession(secured, isInitiator: true, yamuxOptions, logger), secured);
        }
        catch (Exception e) when (IsUpgradeFailure(e))
        {
            await CloseAsync(tcp, secured).ConfigureAwait(false);
            throw ToHostException(e, cancellation);
        }
    }

    /// <summary>Upgrades as the listener.</summary>
    public async Task<(YamuxSession Session, NoiseStream Secured)> UpgradeInboundAsync(TcpConnection tcp, CancellationToken cancellation)
    {
        NoiseStream? secured = null;
        try
        {
            await MultistreamSelect.ListenAsync(tcp.Stream, SecurityProtocols, cancellation).ConfigureAwait(false);
            secured = await noise.SecureInboundAsync(tcp.Stream, cancellation).ConfigureAwait(false);
            await MultistreamSelect.ListenAsync(secured, MuxerProtocols, cancellation).ConfigureAwait(false);
            return (new YamuxSession(secured, isInitiator: false, yamuxOptions, logger), secured);
        }
        catch (Exception e) when (IsUpgradeFailure(e))
        {
            await CloseAsync(tcp, secured).ConfigureAwait(false);
            throw ToHostException(e, cancellation);
        }
    }

    private static bool IsUpgradeFailure(Exception e) =>
        e is NoiseException or MultistreamException or IOException or SocketException or ObjectDisposedException or OperationCanceledException;

    private static HostException ToHostException(Exception e, CancellationToken cancellation) => e switch
    {
        NoiseException { Reason: NoiseError.PeerIdMismatch } => new HostException(HostError.PeerIdMismatch, e.Message, e),
        NoiseException => new HostException(HostError.SecurityFailed, $"Noise handshake failed: {e.Message}", e),
        MultistreamException => new HostException(HostError.UpgradeNegotiationFailed, $"Upgrade negotiation failed: {e.Message}", e),
        OperationCanceledException when cancellation.IsCancellationRequested =>
            new HostException(HostError.HandshakeTimeout, "The connection upgrade timed out or was cancelled.", e),
        _ => new HostException(HostError.ConnectionClosed, $"The connection failed during the upgrade: {e.Message}", e),
    };

    private static async ValueTask CloseAsync(TcpConnection tcp, NoiseStream? secured)
    {
        if (secured is not null) await secured.DisposeAsync().ConfigureAwait(false);
        await tcp.Stream.DisposeAsync().ConfigureAwait(false);
    }
}
