using System.Buffers.Binary;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Tests.TestSupport;
using Mgr.Protocol.Transport.Noise;

namespace Mgr.Protocol.Tests.Transport.Noise;

public sealed class NoiseSecurityTests
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    [Fact]
    public async Task Two_secp256k1_peers_authenticate_each_other_in_memory()
    {
        var dialer = new NoiseSecurity(Secp256k1IdentityKey.Generate());
        var listener = new NoiseSecurity(Secp256k1IdentityKey.Generate());
        (Stream left, Stream right) = DuplexPipe.CreateInMemory();

        Task<NoiseStream> inbound = listener.SecureInboundAsync(right, Timeout);
        await using NoiseStream outbound = await dialer.SecureOutboundAsync(left, listener.Identity.PeerId, Timeout);
        await using NoiseStream accepted = await inbound;

        Assert.Equal(listener.Identity.PeerId, outbound.RemotePeer);
        Assert.Equal(dialer.Identity.PeerId, accepted.RemotePeer);
        Assert.Equal(dialer.Identity.PublicKey, accepted.RemotePublicKey);
    }

    [Fact]
    public async Task An_ed25519_peer_and_a_secp256k1_peer_exchange_data_over_tcp()
    {
        var dialer = new NoiseSecurity(Ed25519IdentityKey.Generate());
        var listener = new NoiseSecurity(Secp256k1IdentityKey.Generate());
        (Stream client, Stream server) = await DuplexPipe.CreateTcpAsync();

        Task<NoiseStream> inbound = listener.SecureInboundAsync(server, Timeout);
        await using NoiseStream outbound = await dialer.SecureOutboundAsync(client, listener.Identity.PeerId, Timeout);
        await using NoiseStream accepted = await inbound;
        byte[] data = new byte[1_000_003];
        new Random(7).NextBytes(data);
        Task sending = outbound.WriteAsync(data, Timeout).AsTask();
        byte[] received = new byte[data.Length];
        await accepted.ReadExactlyAsync(received, Timeout);
        await sending;
        await accepted.WriteAsync("pong"u8.ToArray(), Timeout);
        byte[] reply = new byte[4];
        await outbound.ReadExactlyAsync(reply, Timeout);

        Assert.Equal(data, received);
        Assert.Equal("pong"u8.ToArray(), reply);
        Assert.Equal(dialer.Identity.PeerId, accepted.RemotePeer);
    }

    [Fact]
    public async Task Rejects_a_responder_with_another_peer_id_than_the_one_dialled()
    {
        var dialer = new NoiseSecurity(Secp256k1IdentityKey.Generate());
        var listener = new NoiseSecurity(Secp256k1IdentityKey.Generate());
        PeerId someoneElse = Secp256k1IdentityKey.Generate().PeerId;
        (Stream left, Stream right) = DuplexPipe.CreateInMemory();

        Task<NoiseStream> inbound = listener.SecureInboundAsync(right, Timeout);
        var error = await Assert.ThrowsAsync<NoiseException>(() => dialer.SecureOutboundAsync(left, someoneElse, Timeout));

        Assert.Equal(NoiseError.PeerIdMismatch, error.Reason);
        await left.DisposeAsync();
        var listenerError = await Assert.ThrowsAsync<NoiseException>(() => inbound);
        Assert.Equal(NoiseError.Truncated, listenerError.Reason);
    }

    [Fact]
    public async Task Rejects_a_responder_whose_identity_signature_does_not_verify()
    {
        var dialer = new NoiseSecurity(Secp256k1IdentityKey.Generate());
        var forger = new NoiseSecurity(new ForgingIdentityKey(Secp256k1IdentityKey.Generate()));
        (Stream left, Stream right) = DuplexPipe.CreateInMemory();

        _ = forger.SecureInboundAsync(right, Timeout);
        var error = await Assert.ThrowsAsync<NoiseException>(() => dialer.SecureOutboundAsync(left, null, Timeout));

        Assert.Equal(NoiseError.BadSignature, error.Reason);
    }

    [Fact]
    public async Task Rejects_an_initiator_whose_ed25519_signature_does_not_verify()
    {
        var forger = new NoiseSecurity(new ForgingIdentityKey(Ed25519IdentityKey.Generate()));
        var listener = new NoiseSecurity(Secp256k1IdentityKey.Generate());
        (Stream left, Stream right) = DuplexPipe.CreateInMemory();

        Task<NoiseStream> inbound = listener.SecureInboundAsync(right, Timeout);
        await using NoiseStream _ = await forger.SecureOutboundAsync(left, listener.Identity.PeerId, Timeout);

        var error = await Assert.ThrowsAsync<NoiseException>(() => inbound);
        Assert.Equal(NoiseError.BadSignature, error.Reason);
    }

    [Fact]
    public async Task Rejects_a_first_message_too_short_for_an_ephemeral_key()
    {
        var listener = new NoiseSecurity(Secp256k1IdentityKey.Generate());
        (Stream left, Stream right) = DuplexPipe.CreateInMemory();

        Task<NoiseStream> inbound = listener.SecureInboundAsync(right, Timeout);
        await left.WriteAsync(new byte[] { 0x00, 0x05, 1, 2, 3, 4, 5 });

        var error = await Assert.ThrowsAsync<NoiseException>(() => inbound);
        Assert.Equal(NoiseError.MalformedMessage, error.Reason);
    }

    [Fact]
    public async Task Rejects_garbage_in_place_of_the_second_message()
    {
        var dialer = new NoiseSecurity(Secp256k1IdentityKey.Generate());
        (Stream left, Stream right) = DuplexPipe.CreateInMemory();

        Task<NoiseStream> outbound = dialer.SecureOutboundAsync(left, null, Timeout);
        byte[] first = new byte[2 + 32];
        await right.ReadExactlyAsync(first);
        byte[] garbage = new byte[2 + 200];
        new Random(3).NextBytes(garbage);
        BinaryPrimitives.WriteUInt16BigEndian(garbage, 200);
        await right.WriteAsync(garbage);

        var error = await Assert.ThrowsAsync<NoiseException>(() => outbound);
        Assert.Equal(NoiseError.DecryptionFailed, error.Reason);
    }

    [Fact]
    public async Task Reports_a_handshake_frame_cut_short_by_the_peer_closing()
    {
        var listener = new NoiseSecurity(Secp256k1IdentityKey.Generate());
        (Stream left, Stream right) = DuplexPipe.CreateInMemory();

        Task<NoiseStream> inbound = listener.SecureInboundAsync(right, Timeout);
        await left.WriteAsync(new byte[] { 0x00, 0x20, 1, 2, 3 }); // announces 32 bytes, sends 3
        await left.DisposeAsync();

        var error = await Assert.ThrowsAsync<NoiseException>(() => inbound);
        Assert.Equal(NoiseError.Truncated, error.Reason);
    }

    [Fact]
    public async Task Rejects_an_all_zero_ephemeral_key()
    {
        var listener = new NoiseSecurity(Secp256k1IdentityKey.Generate());
        (Stream left, Stream right) = DuplexPipe.CreateInMemory();

        Task<NoiseStream> inbound = listener.SecureInboundAsync(right, Timeout);
        byte[] first = new byte[2 + 32];
        BinaryPrimitives.WriteUInt16BigEndian(first, 32);
        await left.WriteAsync(first);

        var error = await Assert.ThrowsAsync<NoiseException>(() => inbound);
        Assert.Equal(NoiseError.InvalidKey, error.Reason);
    }

    [Fact]
    public async Task A_failed_handshake_leaves_a_concurrent_one_on_the_same_listener_unaffected()
    {
        var listener = new NoiseSecurity(Secp256k1IdentityKey.Generate());
        var honest = new NoiseSecurity(Secp256k1IdentityKey.Generate());
        var forger = new NoiseSecurity(new ForgingIdentityKey(Secp256k1IdentityKey.Generate()));
        (Stream goodLeft, Stream goodRight) = DuplexPipe.CreateInMemory();
        (Stream badLeft, Stream badRight) = DuplexPipe.CreateInMemory();

        Task<NoiseStream> goodInbound = listener.SecureInboundAsync(goodRight, Timeout);
        Task<NoiseStream> badInbound = listener.SecureInboundAsync(badRight, Timeout);
        Task<NoiseStream> badOutbound = forger.SecureOutboundAsync(badLeft, null, Timeout);
        await using NoiseStream good = await honest.SecureOutboundAsync(goodLeft, listener.Identity.PeerId, Timeout);
        var error = await Assert.ThrowsAsync<NoiseException>(() => badInbound);
        await using NoiseStream accepted = await goodInbound;
        await good.WriteAsync("still fine"u8.ToArray(), Timeout);
        byte[] received = new byte[10];
        await accepted.ReadExactlyAsync(received, Timeout);

        Assert.Equal(NoiseError.BadSignature, error.Reason);
        Assert.Equal("still fine"u8.ToArray(), received);
        (await badOutbound).Dispose();
    }
}
