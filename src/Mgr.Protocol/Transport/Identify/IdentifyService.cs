using Mgr.Protocol.Host;
using Mgr.Protocol.Identity;

namespace Mgr.Protocol.Transport.Identify;

/// <summary>Identify on a <see cref="Libp2pHost"/>: answers <c>/ipfs/id/1.0.0</c> streams with this host's identity,
/// listen addresses, protocols and the address it sees the asker at, and asks peers for theirs.</summary>
/// <remarks>Thread-safe. The message is built per stream from the host's current state, so protocols registered
/// later are announced too.</remarks>
public sealed class IdentifyService(Libp2pHost host, string agentVersion, string protocolVersion = IdentifyService.DefaultProtocolVersion)
{
    /// <summary>The protocol family libp2p hosts announce by default.</summary>
    public const string DefaultProtocolVersion = "ipfs/0.1.0";

    /// <summary>Registers the Identify handler on the host.</summary>
    public void Register() => host.SetHandler(IdentifyLimits.ProtocolId, ServeAsync);

    /// <summary>The message this host sends on <paramref name="connection"/>.</summary>
    public IdentifyMessage BuildMessage(PeerConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new IdentifyMessage
        {
            ProtocolVersion = protocolVersion,
            AgentVersion = agentVersion,
            PublicKey = host.Identity.PublicKey.Encode(),
            ListenAddrs = [.. host.ListenAddresses.Select(address => new ReadOnlyMemory<byte>(address.Bytes.ToArray()))],
            ObservedAddr = connection.RemoteAddress.Bytes.ToArray(),
            Protocols = [.. host.Protocols.Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>Asks the peer of <paramref name="connection"/> to identify itself.</summary>
    /// <exception cref="IdentifyException">Malformed or oversized answers, or a public key that is not the one the
    /// connection authenticated (<see cref="IdentifyError.KeyMismatch"/>).</exception>
    /// <exception cref="HostException">When the stream cannot be opened or negotiated.</exception>
    public static async Task<IdentifyMessage> RequestAsync(PeerConnection connection, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ProtocolChannel channel = await connection.OpenStreamAsync(IdentifyLimits.ProtocolId, cancellation).ConfigureAwait(false);
        await using (channel.ConfigureAwait(false))
        {
            await channel.CloseWriteAsync().ConfigureAwait(false);
            IdentifyMessage message = await IdentifyExchange.ReceiveAsync(channel.Stream, cancellation).ConfigureAwait(false);
            if (message.PublicKey is { } key && !KeyMatches(key.Span, connection.RemotePublicKey))
            {
                throw new IdentifyException(IdentifyError.KeyMismatch, $"{connection.RemotePeer} identified with a different public key.");
            }
            return message;
        }
    }

    private async Task ServeAsync(ProtocolChannel channel, CancellationToken cancellation)
    {
        await IdentifyExchange.SendAsync(channel.Stream, BuildMessage(channel.Connection), cancellation).ConfigureAwait(false);
        await channel.CloseWriteAsync().ConfigureAwait(false);
    }

    private static bool KeyMatches(ReadOnlySpan<byte> encoded, PublicKey authenticated)
    {
        try
        {
            return PublicKey.Decode(encoded).Equals(authenticated);
        }
        catch (KeyFormatException)
        {
            return false;
        }
    }
}
