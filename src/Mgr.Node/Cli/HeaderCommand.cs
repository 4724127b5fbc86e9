using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Mgr.Trie.Headers;

namespace Mgr.Node.Cli;

/// <summary><c>mgr header decode &lt;rlpHex&gt;</c>: decodes a block header's RLP and prints its fields and hash
/// as one JSON object (field names and 0x-quantities as in eth_getBlockByNumber; see spec/cli.md).</summary>
internal static class HeaderCommand
{
    public static Command Create()
    {
        var rlp = new Argument<string>("rlpHex") { Description = "The header's RLP as hex (0x optional)." };
        var decode = new Command("decode", CommandHelp.Describe("Decode a block header's RLP; print its fields, fork and hash as JSON.", "mgr header decode 0xf90217a0…")) { rlp };
        decode.SetAction(parseResult => CliInput.Run(parseResult, output =>
        {
            byte[] encoded = CliInput.ParseHex(parseResult.GetValue(rlp), "rlpHex");
            output.WriteLine(ToJson(BlockHeader.Decode(encoded)));
            return CliInput.SuccessExitCode;
        }));
        return new Command("header", "Block header tools.") { decode };
    }

    /// <summary>The header as a one-line JSON object, fork-specific fields only when present.</summary>
    public static string ToJson(BlockHeader header)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("parentHash", header.ParentHash.ToString());
            json.WriteString("sha3Uncles", header.OmmersHash.ToString());
            json.WriteString("miner", header.Coinbase.ToString());
            json.WriteString("stateRoot", header.StateRoot.ToString());
            json.WriteString("transactionsRoot", header.TransactionsRoot.ToString());
            json.WriteString("receiptsRoot", header.ReceiptsRoot.ToString());
            json.WriteString("logsBloom", header.LogsBloom.ToString());
            json.WriteString("difficulty", header.Difficulty.ToHexString());
            json.WriteString("number", Quantity(header.Number));
            json.WriteString("gasLimit", Quantity(header.GasLimit));
            json.WriteString("gasUsed", Quantity(header.GasUsed));
            json.WriteString("timestamp", Quantity(header.Timestamp));
            json.WriteString("extraData", CliInput.ToHex(header.ExtraData.Span));
            json.WriteString("mixHash", header.MixHash.ToString());
            json.WriteString("nonce", "0x" + header.Nonce.ToString("x16", CultureInfo.InvariantCulture));
            if (header.BaseFeePerGas is { } baseFee) json.WriteString("baseFeePerGas", baseFee.ToHexString());
            if (header.WithdrawalsRoot is { } withdrawals) json.WriteString("withdrawalsRoot", withdrawals.ToString());
            if (header.BlobGasUsed is { } blobGasUsed) json.WriteString("blobGasUsed", Quantity(blobGasUsed));
            if (header.ExcessBlobGas is { } excessBlobGas) json.WriteString("excessBlobGas", Quantity(excessBlobGas));
            if (header.ParentBeaconBlockRoot is { } beaconRoot) json.WriteString("parentBeaconBlockRoot", beaconRoot.ToString());
            if (header.RequestsHash is { } requests) json.WriteString("requestsHash", requests.ToString());
            json.WriteString("fork", ForkName(header.Fork));
            json.WriteString("hash", header.Hash.ToString());
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Quantity(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static string ForkName(HeaderFork fork) => fork switch
    {
        HeaderFork.PreLondon => "preLondon",
        HeaderFork.London => "london",
        HeaderFork.Shanghai => "shanghai",
        HeaderFork.Cancun => "cancun",
        _ => "prague",
    };
}
