using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Mgr.Node.Chain;
using Mgr.Node.EngineApi;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.EngineApi;

public sealed class EngineApiServerTests : IAsyncLifetime, IDisposable
{
    private readonly JwtSecret _secret = JwtSecret.Generate();
    private readonly ConsensusEventChannel _events = new();
    private readonly HttpClient _http = new();
    private EngineApiServer _server = null!;

    public Task InitializeAsync()
    {
        var handler = new EngineApiHandler(new EmptyChain(), _events);
        _server = EngineApiServer.Start(handler, new JwtValidator(_secret, TimeProvider.System),
            new EngineApiServerOptions { Port = 0, MaxRequestBytes = 64 * 1024 }, [new CheckpointRoute(new FixedFinalized())]);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Serves_new_payload_over_http_with_a_valid_jwt()
    {
        string body = EngineApiHandlerTests.FixtureRequest().ToJsonString();

        HttpResponseMessage response = await PostAsync(body, "Bearer " + new JwtIssuer(_secret, TimeProvider.System).Issue());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonNode answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("SYNCING", (string?)answer["result"]!["status"]);
        Assert.Equal(7, (int)answer["id"]!);
    }

    [Fact]
    public async Task Client_calls_each_method_over_real_http()
    {
        using var client = new EngineApiClient(_server.Address, new JwtIssuer(_secret, TimeProvider.System));
        Hash256 head = Hash256.Parse("0x" + new string('c', 64));

        IReadOnlyList<string> capabilities = await client.ExchangeCapabilitiesAsync(["engine_forkchoiceUpdatedV3"], CancellationToken.None);
        PayloadStatusResult fcu = await client.ForkchoiceUpdatedAsync(head, head, head, CancellationToken.None);

        Assert.Contains("engine_newPayloadV3", capabilities);
        Assert.Equal(PayloadStatus.Syncing, fcu.Status);
    }

    [Fact]
    public async Task Client_new_payload_round_trips_the_payload_json()
    {
        using var client = new EngineApiClient(_server.Address, new JwtIssuer(_secret, TimeProvider.System));
        JsonObject fixture = EngineApiHandlerTests.FixtureRequest();
        ExecutionPayload payload = ExecutionPayload.Parse(System.Text.Json.JsonDocument.Parse(fixture["params"]![0]!.ToJsonString()).RootElement);

        PayloadStatusResult status = await client.NewPayloadAsync(payload, [], Hash256.Parse((string)fixture["params"]![2]!), CancellationToken.None);

        Assert.Equal(PayloadStatus.Syncing, status.Status);
    }

    [Fact]
    public async Task Client_sees_invalid_block_hash_for_a_payload_with_a_wrong_hash()
    {
        using var client = new EngineApiClient(_server.Address, new JwtIssuer(_secret, TimeProvider.System));
        JsonObject fixture = EngineApiHandlerTests.FixtureRequest();
        ExecutionPayload payload = ExecutionPayload.Parse(System.Text.Json.JsonDocument.Parse(fixture["params"]![0]!.ToJsonString()).RootElement);

        PayloadStatusResult status = await client.NewPayloadAsync(payload with { BlockHash = Hash256.MaxValue }, [],
            Hash256.Parse((string)fixture["params"]![2]!), CancellationToken.None);

        Assert.Equal(PayloadStatus.InvalidBlockHash, status.Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not.a.token")]
    public async Task Rejects_a_request_without_a_valid_jwt_with_401_and_a_json_rpc_error(string? authorization)
    {
        HttpResponseMessage response = await PostAsync(EngineApiHandlerTests.FixtureRequest().ToJsonString(), authorization);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        JsonNode answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(JsonRpcErrorCodes.ServerError, (int)answer["error"]!["code"]!);
    }

    [Fact]
    public async Task Rejects_an_expired_jwt_with_401()
    {
        string stale = new JwtIssuer(_secret, TimeProvider.System).IssueAt(DateTimeOffset.UtcNow.AddMinutes(-5));

        HttpResponseMessage response = await PostAsync("{}", "Bearer " + stale);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Client_reports_a_wrong_secret_as_http_401()
    {
        using var client = new EngineApiClient(_server.Address, new JwtIssuer(JwtSecret.Generate(), TimeProvider.System));

        var error = await Assert.ThrowsAsync<EngineApiClientException>(() => client.ExchangeCapabilitiesAsync([], CancellationToken.None));

        Assert.Equal(401, error.HttpStatus);
    }

    [Fact]
    public async Task Answers_an_oversized_body_with_413_without_crashing()
    {
        string body = "[" + new string(' ', 70 * 1024) + "]";

        HttpResponseMessage response = await PostAsync(body, "Bearer " + new JwtIssuer(_secret, TimeProvider.System).Issue());
        HttpResponseMessage after = await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"engine_exchangeCapabilities","params":[[]]}""",
            "Bearer " + new JwtIssuer(_secret, TimeProvider.System).Issue());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Answers_bad_json_with_a_parse_error()
    {
        HttpResponseMessage response = await PostAsync("{\"jsonrpc\":", "Bearer " + new JwtIssuer(_secret, TimeProvider.System).Issue());

        JsonNode answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(JsonRpcErrorCodes.ParseError, (int)answer["error"]!["code"]!);
    }

    [Fact]
    public async Task Serves_the_checkpoint_document_without_a_jwt()
    {
        string body = await _http.GetStringAsync(new Uri(_server.Address, CheckpointRoute.RoutePath));

        WeakSubjectivityCheckpoint checkpoint = CheckpointFormat.ParseJson(Encoding.UTF8.GetBytes(body));
        Assert.Equal(FixedFinalized.Checkpoint.Hash, checkpoint.Hash);
    }

    [Fact]
    public async Task Checkpoint_fetcher_reads_the_served_document()
    {
        WeakSubjectivityCheckpoint checkpoint = await CheckpointFetcher.FetchAsync(new Uri(_server.Address, CheckpointRoute.RoutePath), CancellationToken.None);

        Assert.Equal(FixedFinalized.Checkpoint.Number, checkpoint.Number);
        Assert.True(checkpoint.HeaderRlp.Span.SequenceEqual(FixedFinalized.Checkpoint.HeaderRlp.Span));
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _server.Address) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await _http.SendAsync(request);
    }

    private sealed class EmptyChain : IEngineChainView
    {
        public bool IsSynced => false;

        public bool ContainsHeader(Hash256 hash) => false;
    }

    private sealed class FixedFinalized : IFinalizedHeaderSource
    {
        public static readonly WeakSubjectivityCheckpoint Checkpoint = Headers.HeaderChainGenerator.Checkpoint(Headers.HeaderChainGenerator.Generate(10, seed: 1)[9]);

        public WeakSubjectivityCheckpoint? LatestFinalized => Checkpoint;
    }
}
