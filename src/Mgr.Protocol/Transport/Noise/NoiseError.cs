namespace Mgr.Protocol.Transport.Noise;

/// <summary>Why a Noise handshake or secured connection failed. Every value means the connection must be closed.</summary>
public enum NoiseError
{
    /// <summary>The connection ended inside a frame (or before the handshake finished).</summary>
    Truncated,
    /// <summary>A frame is too short for what it must contain (an ephemeral key, an encrypted static key, a tag).</summary>
    MalformedMessage,
    /// <summary>A frame failed authenticated decryption: garbage, tampering, or a peer using other keys.</summary>
    DecryptionFailed,
    /// <summary>The handshake payload is not a valid NoiseHandshakePayload or lacks the identity key or signature.</summary>
    InvalidPayload,
    /// <summary>The peer's identity key type cannot verify signatures here (RSA, ECDSA).</summary>
    UnsupportedKeyType,
    /// <summary>The identity signature over the peer's static Noise key does not verify.</summary>
    BadSignature,
    /// <summary>The peer authenticated as a different peer id from the one dialled.</summary>
    PeerIdMismatch,
    /// <summary>A Diffie-Hellman result was all zeros (the peer sent a low-order point).</summary>
    InvalidKey,
    /// <summary>2^64 - 1 messages were sent or received with one key; nonces must never repeat.</summary>
    NonceExhausted,
}
