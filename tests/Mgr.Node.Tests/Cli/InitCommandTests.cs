using System.Buffers;
using System.Text.Json;
using Mgr.Node.Cli;
using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;
using Mgr.Trie.Crypto;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;

namespace Mgr.Node.Tests.Cli;

public class InitCommandTests
{
    // Genesis files whose state root and hash @ethereumjs 10.1.3 computes as stated (see the Mgr.Trie.Tests
    // genesis fixtures london.json and cancun-blob-fields.json, cross-checked live by the interop tests).
    private const string London = """
        {"config":{"chainId":5,"homesteadBlock":0,"eip150Block":0,"eip155Block":0,"eip158Block":0,"byzantiumBlock":0,"constantinopleBlock":0,"petersburgBlock":0,"istanbulBlock":0,"berlinBlock":0,"londonBlock":0,"ethash":{}},
         "nonce":"0x42","gasLimit":"0x1388","difficulty":"0x20000","alloc":{}}
        """;
    private const string LondonHash = "0x0a986992de900859105ff7b3bf50668e786128c819bf92791dc393ec02b9ade6";

    private const string Cancun = """
        {"config":{"chainId":7,"homesteadBlock":0,"eip150Block":0,"eip155Block":0,"eip158Block":0,"byzantiumBlock":0,"constantinopleBlock":0,"petersburgBlock":0,"istanbulBlock":0,"berlinBlock":0,"londonBlock":0,"shanghaiTime":0,"cancunTime":0,"terminalTotalDifficulty":0},
         "nonce":"0x1234","timestamp":"1700000000","extraData":"0x","gasLimit":30000000,"difficulty":1,"baseFeePerGas":"0x7","excessBlobGas":"0x60000","blobGasUsed":"0x20000",
         "mixHash":"0x00000000000000000000000000000000000000000000000000000000000000aa","coinbase":"0x1111111111111111111111111111111111111111",
         "alloc":{"0x2222222222222222222222222222222222222222":{"balance":"0xde0b6b3a7640000","storage":{"0x0000000000000000000000000000000000000000000000000000000000000002":"0x2a"}},
                  "0x3333333333333333333333333333333333333333":{"balance":"0x1","code":"0x6000"}}}
        """;
    private const string CancunStateRoot = "0xb458009671a53f78464bf8fea9eb6008a177ed18454865059300974d5e1b5b63";
    private const string CancunHash = "0xe8e9789efa4a53b97222ff8a2002ce53b8d8ca39e872e9724c80796b0372345a";

    [Fact]
    public void Prints_the_state_root_hash_and_number_of_the_genesis()
    {
        using TempFile genesis = InProcessMgr.WriteTemp(London);

        CliRun run = InProcessMgr.Run("init", "--genesis", genesis.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"{{\"stateRoot\":\"{Hash256.EmptyTrieRoot}\",\"hash\":\"{LondonHash}\",\"number\":0}}\n", run.Stdout);
    }

    [Fact]
    public void With_a_datadir_stores_state_code_and_the_canonical_genesis_header()
    {
        using TempFile genesis = InProcessMgr.WriteTemp(Cancun);
        using TempFile dataDir = new(Path.Combine(Path.GetTempPath(), "mgr-init-" + Guid.NewGuid().ToString("N")));

        CliRun run = InProcessMgr.Run("init", "--genesis", genesis.Path, "--datadir", dataDir.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"{{\"stateRoot\":\"{CancunStateRoot}\",\"hash\":\"{CancunHash}\",\"number\":0}}\n", run.Stdout);
        using RocksDbStore store = RocksDbStore.Open(InitCommand.StorePath(dataDir.Path));
        Assert.True(HeaderStore.TryReadCanonical(store, 0, out Hash256 canonical));
        Assert.Equal(Hash256.Parse(CancunHash), canonical);
        var headerRlp = new ArrayBufferWriter<byte>();
        Assert.True(HeaderStore.TryReadByHash(store, canonical, headerRlp));
        Assert.Equal(canonical, BlockHeader.Decode(headerRlp.WrittenSpan).Hash);
        Hash256 root = Hash256.Parse(CancunStateRoot);
        Assert.True(TrieNodeStore.TryRead(store, root, out byte[]? rootNode));
        Assert.Equal(root, Keccak256.Compute(rootNode));
        Assert.True(SyncProgressStore.IsHeld(store, root, KeyInterval.All));
        Hash256 contract = Address.Parse("0x3333333333333333333333333333333333333333").Hash();
        Account account = Account.Decode(store.Get(Schema.Accounts, contract.ToArray()));
        var code = new ArrayBufferWriter<byte>();
        Assert.True(CodeStore.TryRead(store, account.CodeHash, code));
        Assert.Equal(new byte[] { 0x60, 0x00 }, code.WrittenSpan.ToArray());
    }

    [Fact]
    public void Storing_the_same_genesis_twice_succeeds_and_a_different_one_is_refused()
    {
        using TempFile cancun = InProcessMgr.WriteTemp(Cancun);
        using TempFile london = InProcessMgr.WriteTemp(London);
        using TempFile dataDir = new(Path.Combine(Path.GetTempPath(), "mgr-init-" + Guid.NewGuid().ToString("N")));
        Assert.Equal(0, InProcessMgr.Run("init", "--genesis", cancun.Path, "--datadir", dataDir.Path).ExitCode);

        CliRun again = InProcessMgr.Run("init", "--genesis", cancun.Path, "--datadir", dataDir.Path);
        CliRun other = InProcessMgr.Run("init", "--genesis", london.Path, "--datadir", dataDir.Path);

        Assert.Equal(0, again.ExitCode);
        Assert.Equal(InitCommand.DataDirFailureExitCode, other.ExitCode);
        Assert.True(other.StderrIsOneLine, other.Stderr);
        Assert.Contains(CancunHash, other.Stderr, StringComparison.Ordinal);
        using RocksDbStore store = RocksDbStore.Open(InitCommand.StorePath(dataDir.Path));
        Assert.True(HeaderStore.TryReadCanonical(store, 0, out Hash256 canonical));
        Assert.Equal(Hash256.Parse(CancunHash), canonical);
    }

    [Theory]
    [InlineData("{\"config\":", "$")]
    [InlineData("""{"config":{"chainId":1},"difficulty":"0x0","alloc":{}}""", "$.gasLimit")]
    [InlineData("""{"config":{"chainId":1},"gasLimit":1,"difficulty":"0x0","alloc":{"0x2222222222222222222222222222222222222222":{"balance":"-5"}}}""", "$.alloc[\"0x2222222222222222222222222222222222222222\"].balance")]
    public void A_malformed_genesis_exits_2_naming_the_field(string content, string path)
    {
        using TempFile genesis = InProcessMgr.WriteTemp(content);

        CliRun run = InProcessMgr.Run("init", "--genesis", genesis.Path);

        Assert.Equal(CliInput.InvalidInputExitCode, run.ExitCode);
        Assert.True(run.StderrIsOneLine, run.Stderr);
        Assert.StartsWith($"mgr init: genesis {path}:", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void A_missing_genesis_file_exits_2()
    {
        CliRun run = InProcessMgr.Run("init", "--genesis", "/nonexistent/genesis.json");

        Assert.Equal(CliInput.InvalidInputExitCode, run.ExitCode);
        Assert.Contains("no such file", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_is_json_with_a_numeric_number()
    {
        using TempFile genesis = InProcessMgr.WriteTemp(London);

        using JsonDocument json = JsonDocument.Parse(InProcessMgr.Run("init", "--genesis", genesis.Path).Stdout);

        Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("number").ValueKind);
    }
}
