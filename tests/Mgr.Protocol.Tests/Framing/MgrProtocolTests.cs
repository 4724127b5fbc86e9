using Mgr.Protocol.Addressing;
using Mgr.Protocol.Framing;
using Mgr.Protocol.Host;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Tests.Messages;

namespace Mgr.Protocol.Tests.Framing;

/// <summary>MGR frames over a real libp2p stream (TCP on 127.0.0.1, Noise, Yamux) between two hosts.</summary>
public sealed class MgrProtocolTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Peers_exchange_status_and_state_data_on_one_mgr_stream()
    {
        await using var server = new Libp2pHost(Secp256k1IdentityKey.Generate());
        await using var client = new Libp2pHost(Secp256k1IdentityKey.Generate());
        var serverStatus = (Status)MessageVectorTests.Sample("status-seeder");
        var clientStatus = (Status)MessageVectorTests.Sample("status-leecher");
        IMessage request = MessageVectorTests.Sample("get-state-data");
        IMessage answer = MessageVectorTests.Sample("state-data-accounts");
        var received = new List<IMessage>();
        server.SetHandler(MgrProtocol.Id, async (channel, cancellation) =>
        {
            var reader = FrameReader.Create(channel.Stream);
            var writer = FrameWriter.Create(channel.Stream);
            await writer.WriteAsync(serverStatus, cancellation);
            while (await reader.ReadMessageAsync(Limits.ProtocolVersion, cancellation) is { } message)
            {
                received.Add(message);
                if (message is GetStateData) await writer.WriteAsync(answer, cancellation);
            }
        });
        Multiaddr address = server.Listen(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")).WithPeerId(server.PeerId);

        using var cancellation = new CancellationTokenSource(Guard);
        await using ProtocolChannel channel = await client.OpenStreamAsync(address, MgrProtocol.Id, cancellation.Token);
        var clientWriter = FrameWriter.Create(channel.Stream);
        var clientReader = FrameReader.Create(channel.Stream);
        await clientWriter.WriteAsync(clientStatus, cancellation.Token);
        await clientWriter.WriteAsync(request, cancellation.Token);
        IMessage? firstReply = await clientReader.ReadMessageAsync(Limits.ProtocolVersion, cancellation.Token);
        IMessage? secondReply = await clientReader.ReadMessageAsync(Limits.ProtocolVersion, cancellation.Token);

        Assert.Equal(MessageVectorTests.Payload(serverStatus), MessageVectorTests.Payload(firstReply!));
        Assert.Equal(MessageVectorTests.Payload(answer), MessageVectorTests.Payload(secondReply!));
        Assert.Equal(MessageVectorTests.Payload(clientStatus), MessageVectorTests.Payload(received[0]));
        Assert.Equal(MessageVectorTests.Payload(request), MessageVectorTests.Payload(received[1]));
    }
}
