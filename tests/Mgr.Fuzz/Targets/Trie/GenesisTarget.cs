using System.Text;
using Mgr.Fuzz.Engine;
using Mgr.Trie.Genesis;

namespace Mgr.Fuzz.Targets.Trie;

/// <summary>GenesisReader.Parse over arbitrary JSON. Documented failure: <see cref="GenesisException"/>. Budget: 64 KiB
/// + 48 B per input byte (the read buffer, the parsed accounts and storage maps).</summary>
internal sealed class GenesisTarget : FuzzTarget
{
    public override string Name => "genesis";

    public override InputFormat Format => InputFormat.Json;

    public override AllocationBudget Budget => new(64 * 1024, 48);

    public override IEnumerable<byte[]> Seeds() =>
    [
        Encoding.UTF8.GetBytes("""
        {"config":{"chainId":1337,"homesteadBlock":0,"londonBlock":0,"shanghaiTime":0,"cancunTime":0,"terminalTotalDifficulty":0},
         "nonce":"0x0","timestamp":"0x0","extraData":"0x","gasLimit":"0x1c9c380","difficulty":"0x0","mixHash":"0x0000000000000000000000000000000000000000000000000000000000000000",
         "coinbase":"0x0000000000000000000000000000000000000000","baseFeePerGas":"0x3b9aca00",
         "alloc":{"0x00000000000000000000000000000000000000aa":{"balance":"0x1","nonce":"0x2","code":"0x6000",
                  "storage":{"0x0000000000000000000000000000000000000000000000000000000000000001":"0x02"}},
                  "0x00000000000000000000000000000000000000bb":{"balance":"1000000000000000000"}}}
        """),
        Encoding.UTF8.GetBytes("""{"config":{"chainId":1},"gasLimit":"5000","difficulty":"0x400","alloc":{}}"""),
    ];

    public override string Execute(byte[] input)
    {
        GenesisSpec spec = GenesisReader.Parse(input);
        return spec.Alloc.Count == 0 ? "empty" : "accounts";
    }

    public override string? Classify(Exception error) => error is GenesisException genesis ? $"genesis:{Shorten(genesis.Reason)}" : null;

    // Reasons quote the offending text and sizes; keep only their fixed part so verdicts stay few.
    private static string Shorten(string reason)
    {
        int quote = reason.IndexOfAny(['\'', '(']);
        string text = quote < 0 ? reason : reason[..quote];
        return string.Concat(text.Where(c => !char.IsAsciiDigit(c)));
    }
}
