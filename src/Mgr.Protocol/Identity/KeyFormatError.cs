namespace Mgr.Protocol.Identity;

/// <summary>Why a key, signature encoding or peer id was rejected.</summary>
public enum KeyFormatError
{
    /// <summary>The protobuf envelope is malformed, not deterministic, or has missing or extra fields.</summary>
    MalformedEnvelope,
    /// <summary>The key type number is not one libp2p defines.</summary>
    UnknownKeyType,
    /// <summary>The key type is known but this stack cannot use it for the requested operation.</summary>
    UnsupportedKeyType,
    /// <summary>The key bytes have the wrong length or are not a valid key (e.g. a point off the curve).</summary>
    InvalidKeyData,
    /// <summary>A peer id's text or multihash bytes are malformed.</summary>
    MalformedPeerId,
}
