using Mgr.Protocol.Identity;
using Mgr.Protocol.Tests.TestSupport;

namespace Mgr.Protocol.Tests.Identity;

public sealed class Ed25519IdentityKeyTests
{
    private const string SpecPrivateKey = "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";

    [Fact]
    public void Derives_the_spec_public_key_from_the_spec_private_key()
    {
        using IdentityKey key = IdentityKey.ImportPrivateKey(Hex.Bytes(SpecPrivateKey));

        Assert.Equal(Hex.Bytes("080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e"), key.PublicKey.Encode());
        Assert.Equal(Hex.Bytes(SpecPrivateKey), key.ExportPrivateKey());
    }

    [Fact]
    public void Accepts_the_legacy_96_byte_form_with_a_repeated_public_key()
    {
        byte[] data = Hex.Bytes(SpecPrivateKey)[4..];
        byte[] legacy = [.. data, .. data[32..]];

        using var key = Ed25519IdentityKey.FromPrivateKeyData(legacy);

        Assert.Equal(data[32..], key.PublicKey.Data.ToArray());
    }

    [Fact]
    public void Rejects_a_private_key_whose_public_half_does_not_match()
    {
        byte[] data = Hex.Bytes(SpecPrivateKey)[4..];
        data[^1] ^= 1;

        var error = Assert.Throws<KeyFormatException>(() => Ed25519IdentityKey.FromPrivateKeyData(data));

        Assert.Equal(KeyFormatError.InvalidKeyData, error.Reason);
    }

    [Fact]
    public void Signs_what_its_public_key_verifies()
    {
        using var key = Ed25519IdentityKey.Generate();

        byte[] signature = key.Sign("payload"u8);

        Assert.True(key.PublicKey.Verify("payload"u8, signature));
        Assert.False(key.PublicKey.Verify("paylod"u8, signature));
    }
}
