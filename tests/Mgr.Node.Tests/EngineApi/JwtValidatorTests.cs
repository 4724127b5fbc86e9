using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Mgr.Node.EngineApi;

namespace Mgr.Node.Tests.EngineApi;

public sealed class JwtValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private readonly JwtSecret _secret = JwtSecret.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private readonly FixedTimeProvider _clock = new(Now);

    private JwtValidator Validator => new(_secret, _clock);

    [Fact]
    public void Accepts_a_fresh_token_signed_with_the_secret()
    {
        string token = new JwtIssuer(_secret, _clock).Issue();

        Assert.Equal(JwtError.None, Validator.ValidateAuthorization("Bearer " + token));
    }

    [Theory]
    [InlineData(-60)]
    [InlineData(60)]
    public void Accepts_iat_at_the_edge_of_the_allowed_skew(int seconds)
    {
        string token = new JwtIssuer(_secret, _clock).IssueAt(Now.AddSeconds(seconds));

        Assert.Equal(JwtError.None, Validator.ValidateToken(token));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer ")]
    public void Rejects_a_request_without_a_bearer_token(string? header)
    {
        Assert.Equal(JwtError.Missing, Validator.ValidateAuthorization(header));
    }

    [Fact]
    public void Rejects_a_token_signed_with_another_secret()
    {
        string token = new JwtIssuer(JwtSecret.Generate(), _clock).Issue();

        Assert.Equal(JwtError.BadSignature, Validator.ValidateToken(token));
    }

    [Fact]
    public void Rejects_a_token_issued_more_than_a_minute_ago()
    {
        string token = new JwtIssuer(_secret, _clock).IssueAt(Now.AddSeconds(-61));

        Assert.Equal(JwtError.Expired, Validator.ValidateToken(token));
    }

    [Fact]
    public void Rejects_a_token_issued_more_than_a_minute_in_the_future()
    {
        string token = new JwtIssuer(_secret, _clock).IssueAt(Now.AddSeconds(61));

        Assert.Equal(JwtError.IssuedInFuture, Validator.ValidateToken(token));
    }

    [Fact]
    public void Rejects_alg_none_even_without_a_signature()
    {
        string token = B64("""{"alg":"none","typ":"JWT"}""") + "." + B64($$"""{"iat":{{Now.ToUnixTimeSeconds()}}}""") + ".";

        Assert.NotEqual(JwtError.None, Validator.ValidateToken(token));
    }

    [Fact]
    public void Rejects_a_correctly_signed_token_whose_alg_is_not_hs256()
    {
        string token = Sign("""{"alg":"HS512","typ":"JWT"}""", $$"""{"iat":{{Now.ToUnixTimeSeconds()}}}""");

        Assert.Equal(JwtError.UnsupportedAlgorithm, Validator.ValidateToken(token));
    }

    [Fact]
    public void Rejects_a_signed_token_without_iat()
    {
        string token = Sign("""{"alg":"HS256","typ":"JWT"}""", """{"id":"cl-1"}""");

        Assert.Equal(JwtError.MissingIssuedAt, Validator.ValidateToken(token));
    }

    [Fact]
    public void Ignores_unknown_claims()
    {
        string token = Sign("""{"alg":"HS256","typ":"JWT"}""", $$"""{"clv":"x","nested":{"a":[1,2]},"iat":{{Now.ToUnixTimeSeconds()}}}""");

        Assert.Equal(JwtError.None, Validator.ValidateToken(token));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("!!!.???.***")]
    public void Rejects_malformed_tokens(string token)
    {
        Assert.Equal(JwtError.Malformed, Validator.ValidateToken(token));
    }

    [Fact]
    public void Rejects_an_oversized_token_without_decoding_it()
    {
        string token = new string('a', JwtValidator.MaxTokenLength + 1);

        Assert.Equal(JwtError.Malformed, Validator.ValidateToken(token));
    }

    private static string B64(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    private string Sign(string header, string claims)
    {
        string input = B64(header) + "." + B64(claims);
        Span<byte> mac = stackalloc byte[32];
        _secret.Sign(Encoding.ASCII.GetBytes(input), mac);
        return input + "." + Base64Url.EncodeToString(mac);
    }
}
