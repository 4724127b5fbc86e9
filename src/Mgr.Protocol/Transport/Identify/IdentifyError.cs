namespace Mgr.Protocol.Transport.Identify;

/// <summary>Why an Identify message from a peer was rejected.</summary>
public enum IdentifyError
{
    /// <summary>The length prefix announces more than <see cref="IdentifyLimits.MaxMessageBytes"/>.</summary>
    MessageTooLarge,
    /// <summary>The length prefix is not a minimal unsigned varint.</summary>
    BadLengthPrefix,
    /// <summary>The stream ended before the whole message arrived.</summary>
    Truncated,
    /// <summary>The message is not valid protobuf for the Identify schema.</summary>
    Malformed,
    /// <summary>A string field is not valid UTF-8.</summary>
    InvalidText,
    /// <summary>More listen addresses or protocols than the limits allow.</summary>
    TooManyEntries,
    /// <summary>The message carries a public key other than the one the connection authenticated.</summary>
    KeyMismatch,
}
