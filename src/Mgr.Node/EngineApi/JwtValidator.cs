using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Mgr.Node.EngineApi;

/// <summary>Checks the bearer token of an Engine API request: HS256 under the shared secret, with an
/// <c>iat</c> claim within <see cref="AllowedSkew"/> of now (authentication.md).</summary>
/// <remarks>Thread-safe. Unknown claims are ignored as the spec requires; the token is never logged.</remarks>
public sealed class JwtValidator(JwtSecret secret, TimeProvider time)
{
    /// <summary>How far <c>iat</c> may be from now, either way (the spec's ±60 seconds).</summary>
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromSeconds(60);

    /// <summary>Longest token we look at: real ones are ~150 characters; this bounds the work per request.</summary>
    public const int MaxTokenLength = 2048;

    private const string BearerPrefix = "Bearer ";

    /// <summary>Validates an HTTP <c>Authorization</c> header value (null when absent).</summary>
    public JwtError ValidateAuthorization(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization)) return JwtError.Missing;
        if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)) return JwtError.Missing;
        return ValidateToken(authorization.AsSpan(BearerPrefix.Length).Trim());
    }

    /// <summary>Validates a compact JWS token <c>header.payload.signature</c>.</summary>
    public JwtError ValidateToken(ReadOnlySpan<char> token)
    {
        if (token.IsEmpty) return JwtError.Missing;
        if (token.Length > MaxTokenLength) return JwtError.Malformed;
        int firstDot = token.IndexOf('.');
        if (firstDot <= 0) return JwtError.Malformed;
        int secondDot = token[(firstDot + 1)..].IndexOf('.');
        if (secondDot <= 0) return JwtError.Malformed;
        secondDot += firstDot + 1;
        ReadOnlySpan<char> headerPart = token[..firstDot], payloadPart = token[(firstDot + 1)..secondDot];
        ReadOnlySpan<char> signaturePart = token[(secondDot + 1)..];
        if (signaturePart.Contains('.')) return JwtError.Malformed;

        Span<byte> buffer = stackalloc byte[MaxTokenLength];
        if (!TryDecode(headerPart, buffer, out int headerLength)) return JwtError.Malformed;
        JwtError algorithm = CheckHeader(buffer[..headerLength]);
        if (algorithm != JwtError.None) return algorithm;

        Span<byte> signature = stackalloc byte[64];
        if (!TryDecode(signaturePart, signature, out int signatureLength)) return JwtError.Malformed;
        Span<byte> signingInput = buffer[..Encoding.ASCII.GetBytes(token[..secondDot], buffer)];
        Span<byte> expected = stackalloc byte[32];
        secret.Sign(signingInput, expected);
        if (signatureLength != 32 || !CryptographicOperations.FixedTimeEquals(expected, signature[..32])) return JwtError.BadSignature;

        if (!TryDecode(payloadPart, buffer, out int payloadLength)) return JwtError.Malformed;
        return CheckIssuedAt(buffer[..payloadLength]);
    }

    private static bool TryDecode(ReadOnlySpan<char> part, Span<byte> destination, out int written)
    {
        written = 0;
        if (part.IsEmpty || Base64Url.GetMaxDecodedLength(part.Length) > destination.Length) return false;
        return Base64Url.DecodeFromChars(part, destination, out _, out written) == System.Buffers.OperationStatus.Done;
    }

    private static JwtError CheckHeader(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4 });
            string? alg = null;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return JwtError.Malformed;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isAlg = reader.ValueTextEquals("alg"u8);
                if (!reader.Read()) return JwtError.Malformed;
                if (isAlg)
                {
                    if (reader.TokenType != JsonTokenType.String) return JwtError.UnsupportedAlgorithm;
                    alg = reader.GetString();
                }
                else reader.Skip();
            }
            if (reader.TokenType != JsonTokenType.EndObject) return JwtError.Malformed;
            return alg == "HS256" ? JwtError.None : JwtError.UnsupportedAlgorithm;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException) // InvalidOperation: bad UTF-8 or a lone surrogate in a string
        {
            return JwtError.Malformed;
        }
    }

    private JwtError CheckIssuedAt(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            long? issuedAt = null;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return JwtError.Malformed;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isIat = reader.ValueTextEquals("iat"u8);
                if (!reader.Read()) return JwtError.Malformed;
                if (isIat)
                {
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long value)) return JwtError.MissingIssuedAt;
                    issuedAt = value;
                }
                else reader.Skip();
            }
            if (reader.TokenType != JsonTokenType.EndObject) return JwtError.Malformed;
            if (issuedAt is not long iat) return JwtError.MissingIssuedAt;
            long now = time.GetUtcNow().ToUnixTimeSeconds();
            long skew = (long)AllowedSkew.TotalSeconds;
            if (iat < now - skew) return JwtError.Expired;
            if (iat > now + skew) return JwtError.IssuedInFuture;
            return JwtError.None;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException) // InvalidOperation: bad UTF-8 or a lone surrogate in a string
        {
            return JwtError.Malformed;
        }
    }
}
