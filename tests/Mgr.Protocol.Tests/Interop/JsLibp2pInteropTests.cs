using System.Text.Json;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Host;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Transport.Identify;
using Mgr.Protocol.Transport.Ping;

namespace Mgr.Protocol.Tests.Interop;

/// <summary>Our stack (TCP, multistream-select, Noise, Yamux, Identify, Ping) against js-libp2p 3 in a Node 22 child
/// process, in both dial directions and with both js key types. Needs tests/interop/node_modules (fails otherwise).</summary>
public sealed class JsLibp2pInteropTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly Multiaddr Loopback = Multiaddr.Parse("/ip4/127.0.0.1/tcp/0");
    private const string AgentVersion = "mgr-interop/1.0";

    [Theory]
    [InlineData("secp256k1")]
    [InlineData("ed25519")]
    public async Task Js_dials_us_and_both_sides_ping_and_identify(string jsKeyType)
    {
        await using Libp2pHost host = NewHost();
        Multiaddr listening = host.Listen(Loopback);
        var connected = new TaskCompletionSource<PeerConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Connected += (_, connection) => connected.TrySetResult(connection);
        await using JsLibp2pPeer js = JsLibp2pPeer.Start(jsKeyType, dial: listening.WithPeerId(host.PeerId).ToString());
        using var cancel = new CancellationTokenSource(Bound);

        JsonElement jsListening = await js.WaitForAsync("listening", null, Bound);
        PeerConnection connection = await connected.Task.WaitAsync(Bound);
        IdentifyMessage jsIdentity = await IdentifyService.RequestAsync(connection, cancel.Token);
        IReadOnlyList<TimeSpan> ourPings = await PingService.PingAsync(connection, 3, cancel.Token);
        string ourId = host.PeerId.ToString();
        JsonElement jsSawUs = await js.WaitForAsync("identify", e => e.GetProperty("peerId").GetString() == ourId, Bound);
        await WaitForPingsAsync(js, ourId, 3);

        AssertJsIdentity(jsIdentity, jsListening, connection, jsKeyType);
        Assert.Equal(3, ourPings.Count);
        AssertOurIdentityAsSeenByJs(jsSawUs, listening, host);
    }

    [Theory]
    [InlineData("secp256k1")]
    [InlineData("ed25519")]
    public async Task We_dial_js_and_both_sides_ping_and_identify(string jsKeyType)
    {
        await using Libp2pHost host = NewHost();
        Multiaddr listening = host.Listen(Loopback);
        await using JsLibp2pPeer js = JsLibp2pPeer.Start(jsKeyType);
        using var cancel = new CancellationTokenSource(Bound);

        JsonElement jsListening = await js.WaitForAsync("listening", null, Bound);
        Multiaddr jsAddress = Multiaddr.Parse(jsListening.GetProperty("addrs")[0].GetString()!);
        PeerConnection connection = await host.DialAsync(jsAddress, cancel.Token);
        IdentifyMessage jsIdentity = await IdentifyService.RequestAsync(connection, cancel.Token);
        IReadOnlyList<TimeSpan> ourPings = await PingService.PingAsync(connection, 3, cancel.Token);
        string ourId = host.PeerId.ToString();
        JsonElement jsSawUs = await js.WaitForAsync("identify", e => e.GetProperty("peerId").GetString() == ourId, Bound);
        await WaitForPingsAsync(js, ourId, 3);

        Assert.Equal(jsAddress.PeerId, connection.RemotePeer);
        AssertJsIdentity(jsIdentity, jsListening, connection, jsKeyType);
        Assert.All(ourPings, rtt => Assert.True(rtt > TimeSpan.Zero));
        AssertOurIdentityAsSeenByJs(jsSawUs, listening, host);
    }

    private static Libp2pHost NewHost() =>
        new(Secp256k1IdentityKey.Generate(), new HostOptions { AgentVersion = AgentVersion });

    private static async Task WaitForPingsAsync(JsLibp2pPeer js, string ourId, int count)
    {
        // The js peer prints one event per ping; the count-th one proves all rounds went through.
        int seen = 0;
        await js.WaitForAsync("ping", e =>
            e.GetProperty("peerId").GetString() == ourId && e.GetProperty("rttMs").GetDouble() >= 0 && ++seen == count, Bound);
        Assert.DoesNotContain("\"event\":\"error\"", js.Transcript(), StringComparison.Ordinal);
    }

    private static void AssertJsIdentity(IdentifyMessage identity, JsonElement jsListening, PeerConnection connection, string jsKeyType)
    {
        Assert.StartsWith("js-libp2p/", identity.AgentVersion, StringComparison.Ordinal);
        Assert.Contains(IdentifyLimits.ProtocolId, identity.Protocols);
        Assert.Contains(PingProtocol.ProtocolId, identity.Protocols);
        PublicKey key = PublicKey.Decode(identity.PublicKey!.Value.Span);
        Assert.Equal(jsKeyType == "ed25519" ? KeyType.Ed25519 : KeyType.Secp256k1, key.Type);
        Assert.Equal(connection.RemotePeer, key.ToPeerId());
        Assert.Equal(jsListening.GetProperty("peerId").GetString(), connection.RemotePeer.ToString());
        Multiaddr jsListen = Multiaddr.Parse(jsListening.GetProperty("addrs")[0].GetString()!).WithoutPeerId()!;
        Assert.Contains(jsListen, identity.ListenAddrs.Select(a => Multiaddr.Decode(a.Span)));
    }

    private static void AssertOurIdentityAsSeenByJs(JsonElement seen, Multiaddr ourListen, Libp2pHost host)
    {
        Assert.Equal(AgentVersion, seen.GetProperty("agentVersion").GetString());
        string[] protocols = [.. seen.GetProperty("protocols").EnumerateArray().Select(p => p.GetString()!)];
        Assert.Contains(IdentifyLimits.ProtocolId, protocols);
        Assert.Contains(PingProtocol.ProtocolId, protocols);
        string[] listenAddrs = [.. seen.GetProperty("listenAddrs").EnumerateArray().Select(a => a.GetString()!)];
        Assert.Contains(listenAddrs, a => Multiaddr.Parse(a).WithoutPeerId() == ourListen);
        Assert.Equal(host.PeerId.ToString(), seen.GetProperty("peerId").GetString());
    }
}
