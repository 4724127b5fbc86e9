namespace Mgr.Protocol.Identity;

/// <summary>libp2p key types, with the numbers the <c>KeyType</c> protobuf enum gives them (peer-ids spec).</summary>
public enum KeyType
{
    /// <summary>RSA (PKIX DER public key). Decoded and hashed into peer ids, but never verified here.</summary>
    Rsa = 0,
    /// <summary>Ed25519: 32-byte public key, RFC 8032 signatures.</summary>
    Ed25519 = 1,
    /// <summary>secp256k1: 33-byte compressed point, ECDSA over SHA-256 with DER signatures.</summary>
    Secp256k1 = 2,
    /// <summary>ECDSA (ASN.1 DER public key). Decoded and hashed into peer ids, but never verified here.</summary>
    Ecdsa = 3,
}
