using Mgr.Protocol.Host;

namespace Mgr.Protocol.Transport.Ping;

/// <summary>Ping on a <see cref="Libp2pHost"/>: echoes <c>/ipfs/ping/1.0.0</c> streams and measures round trips to peers.</summary>
public static class PingService
{
    /// <summary>Registers the ping handler on the host.</summary>
    public static void Register(Libp2pHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        host.SetHandler(PingProtocol.ProtocolId, ServeAsync);
    }

    /// <summary>Opens a ping stream to the peer of <paramref name="connection"/>, runs <paramref name="rounds"/> rounds
    /// on it and closes it; returns each round-trip time.</summary>
    /// <exception cref="PingException">When the peer echoes wrong bytes or closes early.</exception>
    /// <exception cref="HostException">When the stream cannot be opened or negotiated.</exception>
    public static async Task<IReadOnlyList<TimeSpan>> PingAsync(PeerConnection connection, int rounds, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        ProtocolChannel channel = await connection.OpenStreamAsync(PingProtocol.ProtocolId, cancellation).ConfigureAwait(false);
        await using (channel.ConfigureAwait(false))
        {
            var times = new TimeSpan[rounds];
            for (int i = 0; i < rounds; i++) times[i] = await PingProtocol.RoundTripAsync(channel.Stream, cancellation).ConfigureAwait(false);
            await channel.CloseWriteAsync().ConfigureAwait(false);
            return times;
        }
    }

    private static async Task ServeAsync(ProtocolChannel channel, CancellationToken cancellation)
    {
        await PingProtocol.ServeAsync(channel.Stream, cancellation).ConfigureAwait(false);
        await channel.CloseWriteAsync().ConfigureAwait(false);
    }
}
