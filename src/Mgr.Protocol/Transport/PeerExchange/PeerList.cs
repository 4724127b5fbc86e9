using System.Buffers;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Encoding;

namespace Mgr.Protocol.Transport.PeerExchange;

/// <summary>Peer exchange (<c>/mgr/peers/1.0.0</c>, spec/mgr-protocol.md §1.1): on a stream the asker opens, the answering
/// side writes one protobuf message <c>PeerList { repeated bytes addrs = 1; }</c> — binary multiaddrs of other peers it
/// is connected to, each ending in <c>/p2p/&lt;id&gt;</c> — and closes; the asker reads to the end of the stream, at most
/// <see cref="MaxMessageBytes"/>.</summary>
public static class PeerList
{
    /// <summary>The libp2p protocol id.</summary>
    public const string ProtocolId = "/mgr/peers/1.0.0";

    /// <summary>Addresses in one list, at most.</summary>
    public const int MaxAddresses = 32;

    /// <summary>Bytes of one list, at most.</summary>
    public const int MaxMessageBytes = 16 * 1024;

    private const int AddrsField = 1;

    /// <summary>Writes <paramref name="addresses"/> (the first <see cref="MaxAddresses"/> of them) and flushes; the caller
    /// closes the stream.</summary>
    public static async ValueTask SendAsync(Stream stream, IReadOnlyList<Multiaddr> addresses, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(addresses);
        byte[] message = Encode(addresses);
        await stream.WriteAsync(message, cancellation).ConfigureAwait(false);
        await stream.FlushAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>Reads one list to the end of the stream.</summary>
    /// <exception cref="PeerExchangeException">More than <see cref="MaxMessageBytes"/>, or a list <see cref="Decode"/> refuses.</exception>
    public static async ValueTask<IReadOnlyList<Multiaddr>> ReceiveAsync(Stream stream, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxMessageBytes + 1);
        try
        {
            int length = 0;
            while (length <= MaxMessageBytes)
            {
                int read = await stream.ReadAsync(buffer.AsMemory(length, MaxMessageBytes + 1 - length), cancellation).ConfigureAwait(false);
                if (read == 0) return Decode(buffer.AsSpan(0, length));
                length += read;
            }
            throw new PeerExchangeException($"Peer list longer than {MaxMessageBytes} bytes.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The message for <paramref name="addresses"/> (the first <see cref="MaxAddresses"/> that fit in
    /// <see cref="MaxMessageBytes"/>).</summary>
    public static byte[] Encode(IReadOnlyList<Multiaddr> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        List<Multiaddr> kept = [];
        int length = 0;
        foreach (Multiaddr address in addresses)
        {
            int field = ProtobufWriter.LengthOfBytesField(AddrsField, address.Bytes.Length);
            if (kept.Count == MaxAddresses || length + field > MaxMessageBytes) break;
            kept.Add(address);
            length += field;
        }
        byte[] message = new byte[length];
        var writer = new ProtobufWriter(message);
        foreach (Multiaddr address in kept) writer.WriteBytesField(AddrsField, address.Bytes);
        return message;
    }

    /// <summary>Decodes a list: unknown fields are skipped; every address must decode and name a <c>/tcp</c> port and a
    /// peer id.</summary>
    /// <exception cref="PeerExchangeException">Oversized, malformed, more than <see cref="MaxAddresses"/> addresses, or one
    /// that is not dialable.</exception>
    public static IReadOnlyList<Multiaddr> Decode(ReadOnlySpan<byte> message)
    {
        if (message.Length > MaxMessageBytes) throw new PeerExchangeException($"Peer list of {message.Length} bytes exceeds {MaxMessageBytes}.");
        var addresses = new List<Multiaddr>();
        try
        {
            var reader = new ProtobufReader(message);
            while (reader.TryReadTag(out int field, out ProtobufWireType wireType))
            {
                if (field != AddrsField)
                {
                    reader.Skip(wireType);
                    continue;
                }
                reader.Expect(wireType, ProtobufWireType.LengthDelimited);
                if (addresses.Count == MaxAddresses) throw new PeerExchangeException($"Peer list with more than {MaxAddresses} addresses.");
                Multiaddr address = Multiaddr.Decode(reader.ReadLengthDelimited());
                if (address.PeerId is null || !address.Components.Any(static c => c.Protocol == MultiaddrProtocol.Tcp))
                    throw new PeerExchangeException($"Peer list address {address} has no /tcp port or no /p2p id.");
                addresses.Add(address);
            }
        }
        catch (ProtobufException e)
        {
            throw new PeerExchangeException($"Peer list is malformed: {e.Message}", e);
        }
        catch (MultiaddrException e)
        {
            throw new PeerExchangeException($"Peer list holds a bad multiaddr: {e.Message}", e);
        }
        return addresses;
    }
}
