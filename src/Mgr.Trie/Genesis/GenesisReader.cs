using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;

namespace Mgr.Trie.Genesis;

/// <summary>Reads a geth-style <c>genesis.json</c> into a <see cref="GenesisSpec"/>, or streams its accounts.</summary>
/// <remarks>
/// Follows geth's format: <c>config</c> (with <c>chainId</c>), <c>gasLimit</c>, <c>difficulty</c> and
/// <c>alloc</c> are required; <c>nonce</c>, <c>timestamp</c>, <c>extraData</c>, <c>mixHash</c>,
/// <c>coinbase</c>, <c>number</c>, <c>gasUsed</c>, <c>parentHash</c>, <c>baseFeePerGas</c>,
/// <c>excessBlobGas</c>, <c>blobGasUsed</c> are optional (zero/empty when absent). Numbers are JSON numbers,
/// decimal strings or 0x-hex strings. Byte strings are hex with an optional 0x prefix. Storage slots
/// (keys) must be exactly 32 bytes, as geth requires; mixHash, parentHash and storage words may be shorter
/// and are left-padded (their numeric meaning is unambiguous). Unknown properties are ignored; a repeated
/// property counts once, the last one (a repeated <c>alloc</c> is rejected). Any other deviation throws
/// <see cref="GenesisException"/> naming the JSON path: the first one in the file. The file is read as a stream
/// (<see cref="JsonStreamCursor"/>): the reader itself holds one account at a time. Stateless and thread-safe.
/// </remarks>
public static class GenesisReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };

    /// <summary>Receives one alloc entry as it is read; <paramref name="name"/> is its key as written.</summary>
    internal delegate void AccountHandler(string name, Address address, GenesisAccount account);

    /// <summary>Parses UTF-8 JSON, keeping every account (<see cref="GenesisSpec.Alloc"/>).</summary>
    /// <exception cref="GenesisException">When the JSON is malformed or a field is missing or invalid.</exception>
    public static GenesisSpec Parse(ReadOnlyMemory<byte> utf8Json)
    {
        var alloc = new Dictionary<Address, GenesisAccount>();
        using MemoryStream stream = MemoryMarshal.TryGetArray(utf8Json, out ArraySegment<byte> segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(utf8Json.ToArray(), writable: false);
        GenesisSpec spec = Read(stream, (name, address, account) =>
        {
            if (!alloc.TryAdd(address, account)) throw new GenesisException(AccountPath(name), "address appears twice");
        });
        return spec with { Alloc = alloc };
    }

    /// <summary>Reads a genesis file from <paramref name="utf8Json"/>, handing each account to <paramref name="onAccount"/>
    /// in file order; the spec returned has every other field and an empty <see cref="GenesisSpec.Alloc"/>. A repeated
    /// address is not detected here (the handler sees both).</summary>
    /// <exception cref="GenesisException">When the JSON is malformed or a field is missing or invalid.</exception>
    internal static GenesisSpec Read(Stream utf8Json, AccountHandler onAccount)
    {
        var json = new JsonStreamCursor(utf8Json, Options);
        try
        {
            return ReadRoot(ref json, onAccount);
        }
        catch (JsonException e)
        {
            throw new GenesisException("$", $"not valid JSON ({e.Message})", e);
        }
        finally
        {
            json.Dispose();
        }
    }

    /// <summary>The JSON path of the alloc entry written as <paramref name="name"/>.</summary>
    internal static string AccountPath(string name) => $"$.alloc[\"{Shorten(name)}\"]";

    private static GenesisSpec ReadRoot(ref JsonStreamCursor json, AccountHandler onAccount)
    {
        if (!json.Read() || json.TokenType != JsonTokenType.StartObject) throw new GenesisException("$", "expected a JSON object");
        ChainConfig? config = null;
        ulong? nonce = null, timestamp = null, gasLimit = null, number = null, gasUsed = null, excessBlobGas = null, blobGasUsed = null;
        UInt256? difficulty = null, baseFee = null;
        byte[]? extraData = null;
        Hash256? mixHash = null, parentHash = null;
        Address? coinbase = null;
        bool allocSeen = false, allocRead = false;
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            string name = GetString(ref json);
            json.Read();
            bool absent = json.TokenType == JsonTokenType.Null;
            string path = "$." + name;
            switch (name)
            {
                case "alloc":
                    if (allocSeen) throw new GenesisException(path, "appears twice");
                    allocSeen = true;
                    if (!absent) ReadAlloc(ref json, onAccount);
                    allocRead = !absent;
                    break;
                case "config": config = absent ? null : ReadConfig(ref json); break;
                case "nonce": nonce = absent ? null : ReadUInt64(ref json, path); break;
                case "timestamp": timestamp = absent ? null : ReadUInt64(ref json, path); break;
                case "extraData": extraData = absent ? null : ReadBytes(ref json, path); break;
                case "gasLimit": gasLimit = absent ? null : ReadUInt64(ref json, path); break;
                case "difficulty": difficulty = absent ? null : ReadUInt256(ref json, path); break;
                case "mixHash": mixHash = absent ? null : ReadWord(ref json, path); break;
                case "coinbase": coinbase = absent ? null : ReadAddress(ref json, path); break;
                case "number": number = absent ? null : ReadUInt64(ref json, path); break;
                case "gasUsed": gasUsed = absent ? null : ReadUInt64(ref json, path); break;
                case "parentHash": parentHash = absent ? null : ReadWord(ref json, path); break;
                case "baseFeePerGas": baseFee = absent ? null : ReadUInt256(ref json, path); break;
                case "excessBlobGas": excessBlobGas = absent ? null : ReadUInt64(ref json, path); break;
                case "blobGasUsed": blobGasUsed = absent ? null : ReadUInt64(ref json, path); break;
                default: json.SkipValue(); break;
            }
        }
        json.Read(); // past the object: anything but whitespace after it is a JsonException
        return new GenesisSpec
        {
            Config = config ?? throw Missing("$.config"),
            Nonce = nonce ?? 0,
            Timestamp = timestamp ?? 0,
            ExtraData = extraData ?? ReadOnlyMemory<byte>.Empty,
            GasLimit = gasLimit ?? throw Missing("$.gasLimit"),
            Difficulty = difficulty ?? throw Missing("$.difficulty"),
            MixHash = mixHash ?? Hash256.Zero,
            Coinbase = coinbase ?? Address.Zero,
            Number = number ?? 0,
            GasUsed = gasUsed ?? 0,
            ParentHash = parentHash ?? Hash256.Zero,
            BaseFeePerGas = baseFee,
            ExcessBlobGas = excessBlobGas,
            BlobGasUsed = blobGasUsed,
            Alloc = allocRead ? new Dictionary<Address, GenesisAccount>() : throw Missing("$.alloc"),
        };
    }

    private static ChainConfig ReadConfig(ref JsonStreamCursor json)
    {
        const string path = "$.config";
        ExpectObject(ref json, path);
        ulong? chainId = null;
        var blocks = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var times = new Dictionary<string, ulong>(StringComparer.Ordinal);
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            string name = GetString(ref json);
            json.Read();
            bool isBlock = name.EndsWith("Block", StringComparison.Ordinal);
            bool isTime = name.EndsWith("Time", StringComparison.Ordinal);
            string fieldPath = $"{path}.{name}";
            if (name == "chainId")
            {
                chainId = json.TokenType == JsonTokenType.Null ? null : ReadUInt64(ref json, fieldPath);
                continue;
            }
            if (!isBlock && !isTime || json.TokenType == JsonTokenType.Null)
            {
                json.SkipValue();
                continue;
            }
            ulong value = ReadUInt64(ref json, fieldPath);
            if (!(isBlock ? blocks : times).TryAdd(name, value)) throw new GenesisException(fieldPath, "appears twice");
        }
        return new ChainConfig(chainId ?? throw Missing(path + ".chainId"), blocks, times);
    }

    private static void ReadAlloc(ref JsonStreamCursor json, AccountHandler onAccount)
    {
        ExpectObject(ref json, "$.alloc");
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            string name = GetString(ref json);
            if (!Address.TryParse(name, out Address address)) throw new GenesisException(AccountPath(name), "key is not a 20-byte hex address");
            json.Read();
            onAccount(name, address, ReadAccount(ref json, name));
        }
    }

    private static GenesisAccount ReadAccount(ref JsonStreamCursor json, string name)
    {
        string path = AccountPath(name);
        ExpectObject(ref json, path);
        UInt256? balance = null;
        ulong? nonce = null;
        byte[]? code = null;
        Dictionary<Hash256, UInt256>? storage = null;
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            if (NameIs(ref json, "balance"u8))
            {
                json.Read();
                balance = json.TokenType == JsonTokenType.Null ? null : ReadUInt256(ref json, path + ".balance");
            }
            else if (NameIs(ref json, "nonce"u8))
            {
                json.Read();
                nonce = json.TokenType == JsonTokenType.Null ? null : ReadUInt64(ref json, path + ".nonce");
            }
            else if (NameIs(ref json, "code"u8))
            {
                json.Read();
                code = json.TokenType == JsonTokenType.Null ? null : ReadBytes(ref json, path + ".code");
            }
            else if (NameIs(ref json, "storage"u8))
            {
                json.Read();
                storage = json.TokenType == JsonTokenType.Null ? null : ReadStorage(ref json, path);
            }
            else
            {
                json.Read();
                json.SkipValue();
            }
        }
        return new GenesisAccount(balance ?? throw Missing(path + ".balance"), nonce ?? 0, code ?? ReadOnlyMemory<byte>.Empty,
            storage ?? new Dictionary<Hash256, UInt256>());
    }

    private static Dictionary<Hash256, UInt256> ReadStorage(ref JsonStreamCursor json, string path)
    {
        ExpectObject(ref json, path + ".storage");
        var storage = new Dictionary<Hash256, UInt256>();
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            string slot = GetString(ref json);
            string slotPath = $"{path}.storage[\"{Shorten(slot)}\"]";
            if (!TryParseHexBytes(slot, out byte[] keyBytes) || keyBytes.Length != Hash256.Length)
                throw new GenesisException(slotPath, "key is not a 32-byte hex slot");
            json.Read();
            Hash256 word = ReadWord(ref json, slotPath);
            if (!storage.TryAdd(new Hash256(keyBytes), UInt256.FromBigEndian(word.ToArray()))) throw new GenesisException(slotPath, "slot appears twice");
        }
        return storage;
    }

    private static GenesisException Missing(string path) => new(path, "required field is missing");

    private static void ExpectObject(ref JsonStreamCursor json, string path)
    {
        if (json.TokenType != JsonTokenType.StartObject) throw new GenesisException(path, $"expected an object, got {Describe(json.TokenType)}");
    }

    private static ulong ReadUInt64(ref JsonStreamCursor json, string path)
    {
        UInt256 value = ReadUInt256(ref json, path);
        if (!value.FitsInUInt64) throw new GenesisException(path, "number does not fit in 64 bits");
        return value.ToUInt64();
    }

    // A JSON number, a decimal string or a 0x-hex string, as geth's HexOrDecimal types accept.
    private static UInt256 ReadUInt256(ref JsonStreamCursor json, string path)
    {
        string? text = json.TokenType switch
        {
            JsonTokenType.Number => json.GetNumberText(),
            JsonTokenType.String => GetString(ref json),
            _ => null,
        };
        if (text is null) throw new GenesisException(path, $"expected a number, got {Describe(json.TokenType)}");
        if (!UInt256.TryParse(text, out UInt256 value))
            throw new GenesisException(path, $"'{Shorten(text)}' is not an unsigned integer (decimal, or hex after 0x) below 2^256");
        return value;
    }

    private static byte[] ReadBytes(ref JsonStreamCursor json, string path)
    {
        if (json.TokenType != JsonTokenType.String) throw new GenesisException(path, $"expected a hex string, got {Describe(json.TokenType)}");
        string text = GetString(ref json);
        if (!TryParseHexBytes(text, out byte[] bytes)) throw new GenesisException(path, $"'{Shorten(text)}' is not an even number of hex digits");
        return bytes;
    }

    private static Hash256 ReadWord(ref JsonStreamCursor json, string path)
    {
        byte[] bytes = ReadBytes(ref json, path);
        if (bytes.Length > Hash256.Length) throw new GenesisException(path, $"{bytes.Length} bytes is longer than 32");
        return LeftPad(bytes);
    }

    private static Address ReadAddress(ref JsonStreamCursor json, string path)
    {
        byte[] bytes = ReadBytes(ref json, path);
        if (bytes.Length != Address.Length) throw new GenesisException(path, $"an address is 20 bytes, got {bytes.Length}");
        return new Address(bytes);
    }

    // System.Text.Json checks string text only when a string is read or compared: bad UTF-8 or a lone surrogate escape.
    private static string GetString(ref JsonStreamCursor json)
    {
        try
        {
            return json.GetString();
        }
        catch (InvalidOperationException e)
        {
            throw BadText(e);
        }
    }

    private static bool NameIs(ref JsonStreamCursor json, ReadOnlySpan<byte> utf8Name)
    {
        try
        {
            return json.ValueTextEquals(utf8Name);
        }
        catch (InvalidOperationException e)
        {
            throw BadText(e);
        }
    }

    private static GenesisException BadText(InvalidOperationException e) => new("$", "a string is not valid UTF-8 text", e);

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

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        _ => token.ToString().ToLowerInvariant(),
    };

    private static string Shorten(string text) => text.Length <= 70 ? text : string.Concat(text.AsSpan(0, 67), "...");
}
