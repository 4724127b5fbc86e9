using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Mgr.Node.Chain;
using Mgr.Node.EngineApi;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.EngineApi;

/// <summary>Issue 11, security: where the Engine API listens and what it logs.</summary>
public sealed class EngineApiExposureTests
{
    [Fact]
    public async Task Listens_on_loopback_unless_told_otherwise()
    {
        var options = new EngineApiServerOptions { Port = 0 };

        await using EngineApiServer server = EngineApiServer.Start(new EngineApiHandler(new NoChain(), new ConsensusEventChannel()),
            new JwtValidator(JwtSecret.Generate(), TimeProvider.System), options);

        Assert.Equal(IPAddress.Loopback, new EngineApiServerOptions().Address);
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(server.Address.Host)), server.Address.ToString());
    }

    [Fact]
    public async Task Never_logs_the_secret_or_a_token_whatever_the_request()
    {
        byte[] key = [.. Enumerable.Range(0x40, JwtSecret.Length).Select(static b => (byte)b)];
        JwtSecret secret = JwtSecret.FromBytes(key);
        var logger = new CapturingLogger();
        var valid = new JwtIssuer(secret, TimeProvider.System);
        var stale = new JwtIssuer(secret, new FixedTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-5)));
        var forged = new JwtIssuer(JwtSecret.Generate(), TimeProvider.System);
        string[] tokens = [valid.Issue(), stale.Issue(), forged.Issue(), "not.a.token", valid.Issue()[..40]];
        await using (EngineApiServer server = EngineApiServer.Start(new EngineApiHandler(new NoChain(), new ConsensusEventChannel()),
                         new JwtValidator(secret, TimeProvider.System), new EngineApiServerOptions { Port = 0, MaxRequestBytes = 1024 }, logger: logger))
        {
            using var http = new HttpClient();
            foreach (string token in tokens)
            {
                await PostAsync(http, server.Address, token, """{"jsonrpc":"2.0","id":1,"method":"engine_exchangeCapabilities","params":[[]]}""");
                await PostAsync(http, server.Address, token, "{ not json");
                await PostAsync(http, server.Address, token, new string('x', 4096));
            }
        }

        Assert.NotEmpty(logger.Lines); // the rejected tokens were logged, by reason
        string everything = string.Join("\n", logger.Lines);
        Assert.DoesNotContain(Convert.ToHexStringLower(key), everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(key), everything, StringComparison.Ordinal);
        foreach (string token in tokens)
        {
            Assert.DoesNotContain(token, everything, StringComparison.Ordinal);
            foreach (string part in token.Split('.').Where(static part => part.Length >= 8)) Assert.DoesNotContain(part, everything, StringComparison.Ordinal);
        }
        Assert.Equal("JwtSecret(redacted)", secret.ToString());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_saved_secret_file_is_readable_by_the_owner_only_even_when_it_existed()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mgr-jwt-{Guid.NewGuid():N}.hex");
        try
        {
            File.WriteAllText(path, "old");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            JwtSecret secret = JwtSecret.Generate();

            secret.Save(path);

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            var validator = new JwtValidator(JwtSecret.Load(path), TimeProvider.System);
            Assert.Equal(JwtError.None, validator.ValidateToken(new JwtIssuer(secret, TimeProvider.System).Issue()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task PostAsync(HttpClient http, Uri address, string token, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, address) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using HttpResponseMessage response = await http.SendAsync(request);
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    private sealed class NoChain : IEngineChainView
    {
        public bool IsSynced => false;

        public bool ContainsHeader(Hash256 hash) => false;
    }
}
