using System.Globalization;
using System.Text.Json;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;

namespace Mgr.Trie.Genesis;

/// <summary>Reads a geth-style <c>genesis.json</c> into a <see cref="GenesisSpec"/>.</summary>
/// <remarks>
/// Follows geth's format: <c>config</c> (with <c>chainId</c>), <c>gasLimit</c>, <c>difficulty</c> and
/// <c>alloc</c> are required; <c>nonce</c>, <c>timestamp</c>, <c>extraData</c>, <c>mixHash</c>,
/// <c>coinbase</c>, <c>number</c>, <c>gasUsed</c>, <c>parentHash</c>, <c>baseFeePerGas</c>,
/// <c>excessBlobGas</c>, <c>blobGasUsed</c> are optional (zero/empty when absent). Numbers are JSON numbers,
/// decimal strings or 0x-hex strings. Byte strings are hex with an optional 0x prefix. Storage slots
/// (keys) must be exactly 32 bytes, as geth requires; mixHash, parentHash and storage words may be shorter
/// and are left-padded (their numeric meaning is unambiguous). Unknown properties are ignored. Any other
/// deviation throws <see cref="GenesisException"/> naming the JSON path. Stateless and thread-safe.
/// </remarks>
public static class GenesisReader
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <summary>Parses UTF-8 JSON.</summary>
    /// <exception cref="GenesisException">When the JSON is malformed or a field is missing or invalid.</exception>
    public static GenesisSpec Parse(ReadOnlyMemory<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, Options);
        }
        catch (JsonException e)
        {
            throw new GenesisException("$", $"not valid JSON ({e.Message})", e);
        }
        using (document)
        {
            try
            {
                return Read(document.RootElement);
            }
            catch (InvalidOperationException e)
            {
                // System.Text.Json checks string text only when a string is read: bad UTF-8 or a lone surrogate escape.
                throw new GenesisException("$", "a string is not valid UTF-8 text", e);
            }
        }
    }

    private static GenesisSpec Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new GenesisException("$", "expected a JSON object");
        return new GenesisSpec
        {
            Config = ReadConfig(Required(root, "config", "$")),
            Nonce = OptionalUInt64(root, "nonce", "$") ?? 0,
            Timestamp = OptionalUInt64(root, "timestamp", "$") ?? 0,
            ExtraData = Optional(root, "extraData") is { } extra ? ReadBytes(extra, "$.extraData") : ReadOnlyMemory<byte>.Empty,
            GasLimit = ReadUInt64(Required(root, "gasLimit", "$"), "$.gasLimit"),
            Difficulty = ReadUInt256(Required(root, "difficulty", "$"), "$.difficulty"),
            MixHash = Optional(root, "mixHash") is { } mix ? ReadWord(mix, "$.mixHash") : Hash256.Zero,
            Coinbase = Optional(root, "coinbase") is { } coinbase ? ReadAddress(coinbase, "$.coinbase") : Address.Zero,
            Number = OptionalUInt64(root, "number", "$") ?? 0,
            GasUsed = OptionalUInt64(root, "gasUsed", "$") ?? 0,
            ParentHash = Optional(root, "parentHash") is { } parent ? ReadWord(parent, "$.parentHash") : Hash256.Zero,
            BaseFeePerGas = Optional(root, "baseFeePerGas") is { } baseFee ? ReadUInt256(baseFee, "$.baseFeePerGas") : null,
            ExcessBlobGas = OptionalUInt64(root, "excessBlobGas", "$"),
            BlobGasUsed = OptionalUInt64(root, "blobGasUsed", "$"),
            Alloc = ReadAlloc(Required(root, "alloc", "$")),
        };
    }

    private static ChainConfig ReadConfig(JsonElement config)
    {
        const string path = "$.config";
        ExpectObject(config, path);
        ulong chainId = ReadUInt64(Required(config, "chainId", path), path + ".chainId");
        var blocks = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var times = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (JsonProperty property in config.EnumerateObject())
        {
            bool isBlock = property.Name.EndsWith("Block", StringComparison.Ordinal);
            bool isTime = property.Name.EndsWith("Time", StringComparison.Ordinal);
            if (!isBlock && !isTime || property.Value.ValueKind == JsonValueKind.Null) continue;
            string fieldPath = $"{path}.{property.Name}";
            ulong value = ReadUInt64(property.Value, fieldPath);
            if (!(isBlock ? blocks : times).TryAdd(property.Name, value)) throw new GenesisException(fieldPath, "appears twice");
        }
        return new ChainConfig(chainId, blocks, times);
    }

    private static Dictionary<Address, GenesisAccount> ReadAlloc(JsonElement alloc)
    {
        ExpectObject(alloc, "$.alloc");
        var accounts = new Dictionary<Address, GenesisAccount>();
        foreach (JsonProperty entry in alloc.EnumerateObject())
        {
            string path = $"$.alloc[\"{Shorten(entry.Name)}\"]";
            if (!Address.TryParse(entry.Name, out Address address)) throw new GenesisException(path, "key is not a 20-byte hex address");
            if (!accounts.TryAdd(address, ReadAccount(entry.Value, path))) throw new GenesisException(path, "address appears twice");
        }
        return accounts;
    }

    private static GenesisAccount ReadAccount(JsonElement account, string path)
    {
        ExpectObject(account, path);
        UInt256 balance = ReadUInt256(Required(account, "balance", path), path + ".balance");
        ulong nonce = OptionalUInt64(account, "nonce", path) ?? 0;
        ReadOnlyMemory<byte> code = Optional(account, "code") is { } codeElement ? ReadBytes(codeElement, path + ".code") : ReadOnlyMemory<byte>.Empty;
        var storage = new Dictionary<Hash256, UInt256>();
        if (Optional(account, "storage") is { } storageElement)
        {
            ExpectObject(storageElement, path + ".storage");
            foreach (JsonProperty slot in storageElement.EnumerateObject())
            {
                string slotPath = $"{path}.storage[\"{Shorten(slot.Name)}\"]";
                if (!TryParseHexBytes(slot.Name, out byte[] keyBytes) || keyBytes.Length != Hash256.Length)
                    throw new GenesisException(slotPath, "key is not a 32-byte hex slot");
                var key = new Hash256(keyBytes);
                Hash256 word = ReadWord(slot.Value, slotPath);
                if (!storage.TryAdd(key, UInt256.FromBigEndian(word.ToArray()))) throw new GenesisException(slotPath, "slot appears twice");
            }
        }
        return new GenesisAccount(balance, nonce, code, storage);
    }

    private static JsonElement Required(JsonElement parent, string name, string parentPath) =>
        Optional(parent, name) ?? throw new GenesisException($"{parentPath}.{name}", "required field is missing");

    // A property that is present and not null.
    private static JsonElement? Optional(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static ulong? OptionalUInt64(JsonElement parent, string name, string parentPath) =>
        Optional(parent, name) is { } value ? ReadUInt64(value, $"{parentPath}.{name}") : null;

    private static void ExpectObject(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new GenesisException(path, $"expected an object, got {Describe(element)}");
    }

    private static ulong ReadUInt64(JsonElement element, string path)
    {
        UInt256 value = ReadUInt256(element, path);
        if (!value.FitsInUInt64) throw new GenesisException(path, "number does not fit in 64 bits");
        return value.ToUInt64();
    }

    // A JSON number, a decimal string or a 0x-hex string, as geth's HexOrDecimal types accept.
    private static UInt256 ReadUInt256(JsonElement element, string path)
    {
        string? text = element.ValueKind switch
        {
            JsonValueKind.Number => element.GetRawText(),
            JsonValueKind.String => element.GetString(),
            _ => null,
        };
        if (text is null) throw new GenesisException(path, $"expected a number, got {Describe(element)}");
        if (!UInt256.TryParse(text, out UInt256 value))
            throw new GenesisException(path, $"'{Shorten(text)}' is not an unsigned integer (decimal, or hex after 0x) below 2^256");
        return value;
    }

    private static byte[] ReadBytes(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.String) throw new GenesisException(path, $"expected a hex string, got {Describe(element)}");
        string text = element.GetString()!;
        if (!TryParseHexBytes(text, out byte[] bytes)) throw new GenesisException(path, $"'{Shorten(text)}' is not an even number of hex digits");
        return bytes;
    }

    private static Hash256 ReadWord(JsonElement element, string path)
    {
        byte[] bytes = ReadBytes(element, path);
        if (bytes.Length > Hash256.Length) throw new GenesisException(path, $"{bytes.Length} bytes is longer than 32");
        return LeftPad(bytes);
    }

    private static Address ReadAddress(JsonElement element, string path)
    {
        byte[] bytes = ReadBytes(element, path);
        if (bytes.Length != Address.Length) throw new GenesisException(path, $"an address is 20 bytes, got {bytes.Length}");
        return new Address(bytes);
    }

    private static Hash256 LeftPad(byte[] bytes)
    {
        Span<byte> padded = stackalloc byte[Hash256.Length];
        padded.Clear();
        bytes.CopyTo(padded[(Hash256.Length - bytes.Length)..]);
        return new Hash256(padded);
    }

    private static bool TryParseHexBytes(string text, out byte[] bytes)
    {
        bytes = [];
        ReadOnlySpan<char> digits = text.AsSpan();
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) digits = digits[2..];
        if (digits.Length % 2 != 0) return false;
        var result = new byte[digits.Length / 2];
        for (int i = 0; i < result.Length; i++)
        {
            if (!byte.TryParse(digits.Slice(2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out result[i])) return false;
        }
        bytes = result;
        return true;
    }

    private static string Describe(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();

    private static string Shorten(string text) => text.Length <= 70 ? text : string.Concat(text.AsSpan(0, 67), "...");
}
