using Mgr.Protocol.Identity;
using Mgr.Protocol.Tests.TestSupport;

namespace Mgr.Protocol.Tests.Identity;

public sealed class PublicKeyTests
{
    // Vectors from the peer-ids spec's test vector table.
    private const string Ed25519Vector = "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
    private const string Secp256k1Vector = "08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99";

    [Theory]
    [InlineData(Ed25519Vector, KeyType.Ed25519, 32)]
    [InlineData(Secp256k1Vector, KeyType.Secp256k1, 33)]
    public void Decodes_the_spec_vectors_and_reencodes_them_byte_for_byte(string hex, KeyType type, int dataLength)
    {
        byte[] encoded = Hex.Bytes(hex);

        PublicKey key = PublicKey.Decode(encoded);

        Assert.Equal(type, key.Type);
        Assert.Equal(dataLength, key.Data.Length);
        Assert.Equal(encoded, key.Encode());
    }

    [Theory]
    [InlineData("1221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca990802")] // fields out of order
    [InlineData("08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca991800")] // extra field
    [InlineData("0882001221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99")] // non-minimal varint
    [InlineData("0802")] // data missing
    [InlineData("08021222037777")] // data truncated
    public void Rejects_encodings_that_are_not_deterministic_protobuf(string hex)
    {
        var error = Assert.Throws<KeyFormatException>(() => PublicKey.Decode(Hex.Bytes(hex)));

        Assert.Equal(KeyFormatError.MalformedEnvelope, error.Reason);
    }

    [Fact]
    public void Rejects_a_secp256k1_point_that_is_not_on_the_curve()
    {
        byte[] encoded = Hex.Bytes(Secp256k1Vector);
        encoded.AsSpan(5).Fill(0xff); // x beyond the field prime

        var error = Assert.Throws<KeyFormatException>(() => PublicKey.Decode(encoded));

        Assert.Equal(KeyFormatError.InvalidKeyData, error.Reason);
    }

    [Fact]
    public void Rejects_an_ed25519_key_of_the_wrong_length()
    {
        var error = Assert.Throws<KeyFormatException>(() => PublicKey.Create(KeyType.Ed25519, new byte[31]));

        Assert.Equal(KeyFormatError.InvalidKeyData, error.Reason);
    }

    [Fact]
    public void Rejects_an_unknown_key_type()
    {
        var error = Assert.Throws<KeyFormatException>(() => PublicKey.Decode(Hex.Bytes("0809120101")));

        Assert.Equal(KeyFormatError.UnknownKeyType, error.Reason);
    }

    [Fact]
    public void Refuses_to_verify_with_an_rsa_key()
    {
        PublicKey rsa = PublicKey.Create(KeyType.Rsa, new byte[300]);

        var error = Assert.Throws<KeyFormatException>(() => rsa.Verify([1, 2, 3], new byte[64]));

        Assert.Equal(KeyFormatError.UnsupportedKeyType, error.Reason);
    }

    [Fact]
    public void Verifies_an_ed25519_signature_made_by_bouncy_castle_and_rejects_a_tampered_message()
    {
        var privateKey = new Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters(new byte[32], 0);
        var signer = new Org.BouncyCastle.Crypto.Signers.Ed25519Signer();
        signer.Init(true, privateKey);
        byte[] message = "hello"u8.ToArray();
        signer.BlockUpdate(message, 0, message.Length);
        byte[] signature = signer.GenerateSignature();
        PublicKey key = PublicKey.Create(KeyType.Ed25519, privateKey.GeneratePublicKey().GetEncoded());

        Assert.True(key.Verify(message, signature));
        Assert.False(key.Verify("hellO"u8, signature));
    }

    [Fact]
    public void Verifies_a_secp256k1_der_signature_made_by_bouncy_castle()
    {
        var curve = Org.BouncyCastle.Asn1.Sec.SecNamedCurves.GetByName("secp256k1");
        var domain = new Org.BouncyCastle.Crypto.Parameters.ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H);
        var d = new Org.BouncyCastle.Math.BigInteger(1, Hex.Bytes("53DADF1D5A164D6B4ACDB15E24AA4C5B1D3461BDBD42ABEDB0A4404D56CED8FB"));
        var signer = new Org.BouncyCastle.Crypto.Signers.ECDsaSigner();
        signer.Init(true, new Org.BouncyCastle.Crypto.Parameters.ECPrivateKeyParameters(d, domain));
        byte[] message = "noise"u8.ToArray();
        var rs = signer.GenerateSignature(System.Security.Cryptography.SHA256.HashData(message));
        byte[] der = new Org.BouncyCastle.Asn1.DerSequence(new Org.BouncyCastle.Asn1.DerInteger(rs[0]), new Org.BouncyCastle.Asn1.DerInteger(rs[1])).GetDerEncoded();
        PublicKey key = PublicKey.Decode(Hex.Bytes(Secp256k1Vector));

        Assert.True(key.Verify(message, der));
        Assert.False(key.Verify("noisE"u8, der));
    }
}
