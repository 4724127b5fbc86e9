namespace Mgr.Protocol.Addressing;

/// <summary>Why a multiaddr was rejected.</summary>
public enum MultiaddrError
{
    /// <summary>No components at all (empty text, "/", or zero bytes).</summary>
    Empty,
    /// <summary>Longer than <see cref="Multiaddr.MaxLength"/>.</summary>
    TooLong,
    /// <summary>The text does not start with '/' or has an empty component name.</summary>
    BadSyntax,
    /// <summary>A protocol name or code this stack does not know.</summary>
    UnknownProtocol,
    /// <summary>A protocol that needs a value has none.</summary>
    MissingValue,
    /// <summary>A value that does not fit its protocol (bad address, port, name or peer id).</summary>
    InvalidValue,
    /// <summary>The binary form ends inside a component, or holds a malformed varint.</summary>
    Truncated,
}
