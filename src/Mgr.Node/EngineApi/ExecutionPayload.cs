using System.Text.Json;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;

namespace Mgr.Node.EngineApi;

/// <summary>An ExecutionPayloadV3 (cancun.md) as received in <c>engine_newPayloadV3</c>, fields checked for
/// type and length. <see cref="BlockHash"/> is the sender's claim until <see cref="PayloadHeader"/> recomputes it.</summary>
public sealed record ExecutionPayload(
    Hash256 ParentHash,
    Address FeeRecipient,
    Hash256 StateRoot,
    Hash256 ReceiptsRoot,
    Bloom LogsBloom,
    Hash256 PrevRandao,
    ulong BlockNumber,
    ulong GasLimit,
    ulong GasUsed,
    ulong Timestamp,
    ReadOnlyMemory<byte> ExtraData,
    UInt256 BaseFeePerGas,
    Hash256 BlockHash,
    IReadOnlyList<ReadOnlyMemory<byte>> Transactions,
    IReadOnlyList<Withdrawal> Withdrawals,
    ulong BlobGasUsed,
    ulong ExcessBlobGas)
{
    /// <summary>Longest <c>extraData</c> (paris.md: 0 to 32 bytes).</summary>
    public const int MaxExtraDataLength = 32;

    /// <summary>Longest single transaction accepted; the request-size bound caps the total anyway.</summary>
    public const int MaxTransactionLength = 4 * 1024 * 1024;

    private static readonly string[] V3Fields =
    [
        "parentHash", "feeRecipient", "stateRoot", "receiptsRoot", "logsBloom", "prevRandao", "blockNumber", "gasLimit",
        "gasUsed", "timestamp", "extraData", "baseFeePerGas", "blockHash", "transactions", "withdrawals", "blobGasUsed",
        "excessBlobGas",
    ];

    /// <summary>Parses an ExecutionPayloadV3 object; every field is required (cancun.md: null counts as missing).</summary>
    /// <exception cref="JsonRpcException">-32602 naming the field that is missing, mistyped or the wrong length.</exception>
    public static ExecutionPayload Parse(JsonElement payload)
    {
        const string path = "executionPayload";
        if (payload.ValueKind != JsonValueKind.Object) throw JsonRpcException.InvalidParams($"{path} must be an object");
        foreach (JsonProperty property in payload.EnumerateObject())
        {
            if (Array.IndexOf(V3Fields, property.Name) < 0)
                throw JsonRpcException.InvalidParams($"{path} has an unexpected field (not ExecutionPayloadV3)");
        }
        Span<byte> feeRecipient = stackalloc byte[Address.Length];
        EngineJson.ReadFixedData(EngineJson.Required(payload, "feeRecipient", path), feeRecipient, $"{path}.feeRecipient");
        var bloom = new byte[Bloom.Length];
        EngineJson.ReadFixedData(EngineJson.Required(payload, "logsBloom", path), bloom, $"{path}.logsBloom");

        JsonElement txs = EngineJson.Required(payload, "transactions", path);
        if (txs.ValueKind != JsonValueKind.Array) throw JsonRpcException.InvalidParams($"{path}.transactions must be an array");
        var transactions = new List<ReadOnlyMemory<byte>>(txs.GetArrayLength());
        foreach (JsonElement tx in txs.EnumerateArray())
            transactions.Add(EngineJson.ReadData(tx, MaxTransactionLength, $"{path}.transactions[{transactions.Count}]"));

        JsonElement ws = EngineJson.Required(payload, "withdrawals", path);
        if (ws.ValueKind != JsonValueKind.Array) throw JsonRpcException.InvalidParams($"{path}.withdrawals must be an array");
        var withdrawals = new List<Withdrawal>(ws.GetArrayLength());
        Span<byte> address = stackalloc byte[Address.Length];
        foreach (JsonElement w in ws.EnumerateArray())
        {
            string wPath = $"{path}.withdrawals[{withdrawals.Count}]";
            EngineJson.ReadFixedData(EngineJson.Required(w, "address", wPath), address, $"{wPath}.address");
            withdrawals.Add(new Withdrawal(
                EngineJson.ReadQuantity(w, "index", wPath), EngineJson.ReadQuantity(w, "validatorIndex", wPath),
                new Address(address), EngineJson.ReadQuantity(w, "amount", wPath)));
        }

        return new ExecutionPayload(
            EngineJson.ReadHash(payload, "parentHash", path),
            new Address(feeRecipient),
            EngineJson.ReadHash(payload, "stateRoot", path),
            EngineJson.ReadHash(payload, "receiptsRoot", path),
            new Bloom(bloom),
            EngineJson.ReadHash(payload, "prevRandao", path),
            EngineJson.ReadQuantity(payload, "blockNumber", path),
            EngineJson.ReadQuantity(payload, "gasLimit", path),
            EngineJson.ReadQuantity(payload, "gasUsed", path),
            EngineJson.ReadQuantity(payload, "timestamp", path),
            EngineJson.ReadData(EngineJson.Required(payload, "extraData", path), MaxExtraDataLength, $"{path}.extraData"),
            EngineJson.ReadQuantity256(payload, "baseFeePerGas", path),
            EngineJson.ReadHash(payload, "blockHash", path),
            transactions,
            withdrawals,
            EngineJson.ReadQuantity(payload, "blobGasUsed", path),
            EngineJson.ReadQuantity(payload, "excessBlobGas", path));
    }

    /// <summary>The payload of a block: <paramref name="header"/>'s fields plus its body (a Cancun header).</summary>
    /// <exception cref="ArgumentException">When the header lacks Cancun's fields.</exception>
    public static ExecutionPayload FromBlock(BlockHeader header, IReadOnlyList<ReadOnlyMemory<byte>> transactions, IReadOnlyList<Withdrawal> withdrawals)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header.BaseFeePerGas is not UInt256 baseFee || header.BlobGasUsed is not ulong blobGasUsed || header.ExcessBlobGas is not ulong excessBlobGas)
            throw new ArgumentException("an ExecutionPayloadV3 needs a Cancun header", nameof(header));
        return new ExecutionPayload(header.ParentHash, header.Coinbase, header.StateRoot, header.ReceiptsRoot, header.LogsBloom,
            header.MixHash, header.Number, header.GasLimit, header.GasUsed, header.Timestamp, header.ExtraData, baseFee,
            header.Hash, transactions, withdrawals, blobGasUsed, excessBlobGas);
    }

    /// <summary>Writes the ExecutionPayloadV3 JSON object.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> address = stackalloc byte[Address.Length];
        writer.WriteStartObject();
        writer.WriteString("parentHash"u8, ParentHash.ToString());
        FeeRecipient.CopyTo(address);
        writer.WriteString("feeRecipient"u8, Hex(address));
        writer.WriteString("stateRoot"u8, StateRoot.ToString());
        writer.WriteString("receiptsRoot"u8, ReceiptsRoot.ToString());
        writer.WriteString("logsBloom"u8, LogsBloom.ToString());
        writer.WriteString("prevRandao"u8, PrevRandao.ToString());
        writer.WriteString("blockNumber"u8, EngineJson.Quantity(BlockNumber));
        writer.WriteString("gasLimit"u8, EngineJson.Quantity(GasLimit));
        writer.WriteString("gasUsed"u8, EngineJson.Quantity(GasUsed));
        writer.WriteString("timestamp"u8, EngineJson.Quantity(Timestamp));
        writer.WriteString("extraData"u8, Hex(ExtraData.Span));
        writer.WriteString("baseFeePerGas"u8, BaseFeePerGas.ToHexString());
        writer.WriteString("blockHash"u8, BlockHash.ToString());
        writer.WriteStartArray("transactions"u8);
        foreach (ReadOnlyMemory<byte> tx in Transactions) writer.WriteStringValue(Hex(tx.Span));
        writer.WriteEndArray();
        writer.WriteStartArray("withdrawals"u8);
        foreach (Withdrawal w in Withdrawals)
        {
            writer.WriteStartObject();
            writer.WriteString("index"u8, EngineJson.Quantity(w.Index));
            writer.WriteString("validatorIndex"u8, EngineJson.Quantity(w.ValidatorIndex));
            w.Address.CopyTo(address);
            writer.WriteString("address"u8, Hex(address));
            writer.WriteString("amount"u8, EngineJson.Quantity(w.Amount));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteString("blobGasUsed"u8, EngineJson.Quantity(BlobGasUsed));
        writer.WriteString("excessBlobGas"u8, EngineJson.Quantity(ExcessBlobGas));
        writer.WriteEndObject();
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);
}
