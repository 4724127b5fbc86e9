using Mgr.Protocol.Identity;
using Mgr.Protocol.Tests.TestSupport;

namespace Mgr.Protocol.Tests.Identity;

public sealed class PeerIdTests
{
    // Public keys from the peer-ids spec's vector table; the expected ids were computed by js-libp2p
    // (@libp2p/peer-id peerIdFromPublicKey) from the same bytes.
    public static TheoryData<string, string> SpecKeys => new()
    {
        { "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e", "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq" },
        { "08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99", "16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY" },
    };

    [Theory]
    [MemberData(nameof(SpecKeys))]
    public void Derives_the_js_libp2p_peer_id_from_a_spec_key(string keyHex, string expected)
    {
        PublicKey key = PublicKey.Decode(Hex.Bytes(keyHex));

        PeerId peerId = key.ToPeerId();

        Assert.Equal(expected, peerId.ToString());
        Assert.Equal(0x00, peerId.Multihash[0]); // identity multihash: the key is inlined
        Assert.True(peerId.TryGetPublicKey(out PublicKey? inlined));
        Assert.Equal(key, inlined);
    }

    // The peer-ids spec's RSA public key vector (4096-bit key, PKIX DER).
    private const string RsaSpecPublicKey =
        "080012a60430820222300d06092a864886f70d01010105000382020f003082020a0282020100e1beab071d08200bde24eef00d049449b07770ff9910" +
        "257b2d7d5dda242ce8f0e2f12e1af4b32d9efd2c090f66b0f29986dbb645dae9880089704a94e5066d594162ae6ee8892e6ec70701db0a6c445c0477" +
        "8eb3de1293aa1a23c3825b85c6620a2bc3f82f9b0c309bc0ab3aeb1873282bebd3da03c33e76c21e9beb172fd44c9e43be32e2c99827033cf8d0f0c6" +
        "06f4579326c930eb4e854395ad941256542c793902185153c474bed109d6ff5141ebf9cd256cf58893a37f83729f97e7cb435ec679d2e33901d27bb3" +
        "5aa0d7e20561da08885ef0abbf8e2fb48d6a5487047a9ecb1ad41fa7ed84f6e3e8ecd5d98b3982d2a901b4454991766da295ab78822add5612a2df83" +
        "bcee814cf50973e80d7ef38111b1bd87da2ae92438a2c8cbcc70b31ee319939a3b9c761dbc13b5c086d6b64bf7ae7dacc14622375d92a8ff9af7eb96" +
        "2162bbddebf90acb32adb5e4e4029f1c96019949ecfbfeffd7ac1e3fbcc6b6168c34be3d5a2e5999fcbb39bba7adbca78eab09b9bc39f7fa4b93411f" +
        "4cc175e70c0a083e96bfaefb04a9580b4753c1738a6a760ae1afd851a1a4bdad231cf56e9284d832483df215a46c1c21bdf0c6cfe951c18f1ee4078c" +
        "79c13d63edb6e14feaeffabc90ad317e4875fe648101b0864097e998f0ca3025ef9638cd2b0caecd3770ab54a1d9c6ca959b0f5dcbc90caeefc4135b" +
        "aca6fd475224269bbe1b0203010001";

    [Fact]
    public void Hashes_keys_longer_than_42_bytes_with_sha256()
    {
        PublicKey rsa = PublicKey.Decode(Hex.Bytes(RsaSpecPublicKey));

        PeerId peerId = rsa.ToPeerId();

        Assert.Equal("QmaeANgBs1DTSxWSrPPtobgQuxW8XTfsS4ydbK4rCHzqxG", peerId.ToString());
        Assert.False(peerId.TryGetPublicKey(out _));
        Assert.True(peerId.Matches(rsa));
    }

    [Theory]
    [InlineData("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq", "bafzaajaiaejcahwr5d5ofrfbis4l5d6uwr57hu5tjodrypfm6yaq6dsc2r2pzyt6")]
    [InlineData("16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY", "bafzaajiiaijcca3xo7uzjzcsyilaj6i54cj44qk7kqzpoao5rti2pjx6udtdbp6kte")]
    public void Parses_the_cid_form_to_the_same_peer_id_as_base58(string base58, string cid)
    {
        Assert.Equal(PeerId.Parse(base58), PeerId.Parse(cid));
    }

    [Theory]
    [InlineData("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N")]
    [InlineData("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")]
    public void Round_trips_the_spec_examples_through_text(string text)
    {
        Assert.Equal(text, PeerId.Parse(text).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("0OIl")] // characters outside the base58 alphabet
    [InlineData("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5")] // sha256 digest one byte short
    [InlineData("1111")] // zero bytes: not a multihash
    [InlineData("bafkqaaa")] // a CID with another codec
    public void Rejects_text_that_is_not_a_peer_id(string text)
    {
        Assert.False(PeerId.TryParse(text, out _));
        var error = Assert.Throws<KeyFormatException>(() => PeerId.Parse(text));
        Assert.Equal(KeyFormatError.MalformedPeerId, error.Reason);
    }

    [Fact]
    public void Base58_round_trips_random_bytes_with_leading_zeros()
    {
        var random = new Random(5);
        for (int i = 0; i < 200; i++)
        {
            byte[] data = new byte[random.Next(0, 60)];
            random.NextBytes(data);
            if (data.Length > 2 && i % 3 == 0) data[0] = data[1] = 0;

            string text = Base58.Encode(data);

            if (data.Length == 0) continue;
            Assert.True(Base58.TryDecode(text, out byte[] decoded));
            Assert.Equal(data, decoded);
        }
    }
}
