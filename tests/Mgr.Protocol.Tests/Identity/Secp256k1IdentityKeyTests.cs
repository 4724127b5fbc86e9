using System.Numerics;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Tests.TestSupport;

namespace Mgr.Protocol.Tests.Identity;

public sealed class Secp256k1IdentityKeyTests
{
    private static readonly BigInteger HalfOrder =
        BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber) / 2;

    [Fact]
    public void Derives_the_spec_public_key_from_the_spec_private_key()
    {
        byte[] privateKey = Hex.Bytes("0802122053DADF1D5A164D6B4ACDB15E24AA4C5B1D3461BDBD42ABEDB0A4404D56CED8FB");

        using IdentityKey key = IdentityKey.ImportPrivateKey(privateKey);

        Assert.IsType<Secp256k1IdentityKey>(key);
        Assert.Equal(Hex.Bytes("08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99"), key.PublicKey.Encode());
        Assert.Equal(privateKey, key.ExportPrivateKey());
    }

    [Fact]
    public void Signatures_are_low_s_der_and_verify_only_for_the_signed_message()
    {
        using var key = Secp256k1IdentityKey.Generate();
        byte[] message = "noise-libp2p-static-key:abc"u8.ToArray();

        for (int i = 0; i < 64; i++)
        {
            byte[] signature = key.Sign(message);

            Assert.Equal(0x30, signature[0]);
            Assert.True(LowS(signature));
            Assert.True(key.PublicKey.Verify(message, signature));
            Assert.False(key.PublicKey.Verify("noise-libp2p-static-key:abd"u8, signature));
        }
    }

    [Fact]
    public void Rejects_a_zero_private_scalar()
    {
        var error = Assert.Throws<KeyFormatException>(() => Secp256k1IdentityKey.FromPrivateScalar(new byte[32]));

        Assert.Equal(KeyFormatError.InvalidKeyData, error.Reason);
    }

    // DER: 30 len 02 rlen r 02 slen s
    private static bool LowS(byte[] der)
    {
        int rLength = der[3];
        int sLength = der[5 + rLength];
        var s = new BigInteger(der.AsSpan(6 + rLength, sLength), isUnsigned: true, isBigEndian: true);
        return s <= HalfOrder;
    }
}
