using System.Text;
using System.Text.Json;
using Mgr.Node.Chain;
using Mgr.Node.EngineApi;
using Mgr.Trie.Genesis;
using Mgr.Trie.Primitives;

namespace Mgr.Fuzz.Tests.Regressions;

/// <summary>Bugs the fuzzer found in the JSON readers: System.Text.Json checks string contents only when a string is read,
/// so invalid UTF-8 inside a string or a lone <c>\uD800</c> escape makes GetString / TryGetProperty throw
/// InvalidOperationException, which these parsers let escape instead of answering with their typed error. Fixed; the
/// inputs the fuzzer found are the fixtures.</summary>
public sealed class JsonTextRegressionTests
{

    [Theory]
    [InlineData("genesis-lone-surrogate.json")]
    [InlineData("genesis-invalid-utf8.json")]
    public void Genesis_reader_rejects_bad_string_text_with_a_genesis_exception(string fixture)
    {
        byte[] input = FixtureFiles.Read(fixture);

        Assert.Throws<GenesisException>(() => GenesisReader.Parse(input));
    }

    [Theory]
    [InlineData("checkpoint-lone-surrogate.json")]
    [InlineData("checkpoint-invalid-utf8.json")]
    public void Checkpoint_json_rejects_bad_string_text_with_a_checkpoint_exception(string fixture)
    {
        byte[] input = FixtureFiles.Read(fixture);

        Assert.Throws<CheckpointException>(() => CheckpointFormat.ParseJson(input));
    }

    [Theory]
    [InlineData("engine-api-lone-surrogate-name.json")]
    [InlineData("engine-api-invalid-utf8-method.json")]
    public void Json_rpc_dispatcher_answers_bad_string_text_with_an_error_object(string fixture)
    {
        var dispatcher = new JsonRpcDispatcher(new EngineApiHandler(new NoChain(), new ConsensusEventChannel()));

        byte[]? response = dispatcher.Handle(FixtureFiles.Read(fixture));

        using JsonDocument document = JsonDocument.Parse(response!);
        int code = document.RootElement.GetProperty("error").GetProperty("code").GetInt32();
        Assert.True(code is JsonRpcErrorCodes.ParseError or JsonRpcErrorCodes.InvalidRequest, $"code {code}");
    }

    [Theory]
    [InlineData("jwt-invalid-utf8-alg.txt")]
    [InlineData("jwt-lone-surrogate-alg.txt")]
    public void Jwt_validator_answers_a_bad_header_text_with_a_verdict(string fixture)
    {
        var validator = new JwtValidator(JwtSecret.FromBytes(new byte[32]), TimeProvider.System);

        JwtError verdict = validator.ValidateAuthorization(Encoding.UTF8.GetString(FixtureFiles.Read(fixture)));

        Assert.NotEqual(JwtError.None, verdict);
    }

    private sealed class NoChain : IEngineChainView
    {
        public bool IsSynced => false;

        public bool ContainsHeader(Hash256 hash) => false;
    }
}
