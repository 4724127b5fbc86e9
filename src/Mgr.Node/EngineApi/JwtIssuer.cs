using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Mgr.Node.EngineApi;

/// <summary>Makes the HS256 bearer tokens a consensus-side client sends with each Engine API request.</summary>
/// <remarks>Thread-safe; a fresh token (with the current <c>iat</c>) per call.</remarks>
public sealed class JwtIssuer(JwtSecret secret, TimeProvider time)
{
    private static readonly string EncodedHeader = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);

    /// <summary>A token issued now.</summary>
    public string Issue() => IssueAt(time.GetUtcNow());

    /// <summary>A token whose <c>iat</c> is <paramref name="issuedAt"/> (tests use this to make stale tokens).</summary>
    public string IssueAt(DateTimeOffset issuedAt)
    {
        string claims = string.Create(CultureInfo.InvariantCulture, $$"""{"iat":{{issuedAt.ToUnixTimeSeconds()}}}""");
        string signingInput = EncodedHeader + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims));
        Span<byte> mac = stackalloc byte[32];
        secret.Sign(Encoding.ASCII.GetBytes(signingInput), mac);
        return signingInput + "." + Base64Url.EncodeToString(mac);
    }
}
