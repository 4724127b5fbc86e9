namespace Mgr.Node.EngineApi;

/// <summary>Why a request's JWT was refused (or <see cref="None"/> when it was accepted).</summary>
public enum JwtError
{
    None = 0,
    /// <summary>No <c>Authorization: Bearer …</c> header.</summary>
    Missing,
    /// <summary>Not three base64url parts, bad base64, bad JSON, or too long.</summary>
    Malformed,
    /// <summary><c>alg</c> is not HS256 (includes <c>none</c>, which the spec says must be rejected).</summary>
    UnsupportedAlgorithm,
    /// <summary>The HMAC does not match our secret.</summary>
    BadSignature,
    /// <summary>No integer <c>iat</c> claim.</summary>
    MissingIssuedAt,
    /// <summary><c>iat</c> is more than the allowed skew in the past.</summary>
    Expired,
    /// <summary><c>iat</c> is more than the allowed skew in the future.</summary>
    IssuedInFuture,
}
