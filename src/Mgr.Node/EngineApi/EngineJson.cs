using System.Globalization;
using System.Text.Json;
using Mgr.Trie.Primitives;

namespace Mgr.Node.EngineApi;

/// <summary>Strict readers for the Engine API's JSON encodings (common.md, "Encoding"): <c>DATA</c> is
/// 0x-prefixed hex of whole bytes, <c>QUANTITY</c> is 0x-prefixed hex without leading zeros.</summary>
/// <remarks>Every failure is a <see cref="JsonRpcException"/> with -32602 naming the field, never a format or index error.</remarks>
public static class EngineJson
{
    /// <summary>The member <paramref name="name"/> of <paramref name="obj"/>; a missing or null member is refused.</summary>
    public static JsonElement Required(JsonElement obj, string name, string path)
    {
        if (obj.ValueKind != JsonValueKind.Object) throw JsonRpcException.InvalidParams($"{path} must be an object");
        if (!obj.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            throw JsonRpcException.InvalidParams($"{path}.{name} is missing");
        return value;
    }

    /// <summary>A 32-byte DATA member.</summary>
    public static Hash256 ReadHash(JsonElement obj, string name, string path)
    {
        Span<byte> bytes = stackalloc byte[Hash256.Length];
        ReadFixedData(Required(obj, name, path), bytes, $"{path}.{name}");
        return new Hash256(bytes);
    }

    /// <summary>A DATA value of exactly <c>destination.Length</c> bytes.</summary>
    public static void ReadFixedData(JsonElement value, Span<byte> destination, string field)
    {
        ReadOnlySpan<char> hex = HexDigits(value, field);
        if (hex.Length != 2 * destination.Length)
            throw JsonRpcException.InvalidParams($"{field} must be {destination.Length} bytes, got {hex.Length / 2.0:0.#}");
        Decode(hex, destination, field);
    }

    /// <summary>A DATA value of at most <paramref name="maxLength"/> bytes (a new array).</summary>
    public static byte[] ReadData(JsonElement value, int maxLength, string field)
    {
        ReadOnlySpan<char> hex = HexDigits(value, field);
        if (hex.Length % 2 != 0) throw JsonRpcException.InvalidParams($"{field} must have an even number of hex digits");
        if (hex.Length / 2 > maxLength) throw JsonRpcException.InvalidParams($"{field} is longer than {maxLength} bytes");
        var bytes = new byte[hex.Length / 2];
        Decode(hex, bytes, field);
        return bytes;
    }

    /// <summary>A QUANTITY that fits 64 bits.</summary>
    public static ulong ReadQuantity(JsonElement obj, string name, string path)
    {
        string field = $"{path}.{name}";
        ReadOnlySpan<char> hex = QuantityDigits(Required(obj, name, path), field);
        if (hex.Length > 16 || !ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value))
            throw JsonRpcException.InvalidParams($"{field} does not fit 64 bits");
        return value;
    }

    /// <summary>A QUANTITY of up to 256 bits.</summary>
    public static UInt256 ReadQuantity256(JsonElement obj, string name, string path)
    {
        string field = $"{path}.{name}";
        JsonElement value = Required(obj, name, path);
        ReadOnlySpan<char> hex = QuantityDigits(value, field);
        if (hex.Length > 64 || !UInt256.TryParse(value.GetString(), out UInt256 parsed))
            throw JsonRpcException.InvalidParams($"{field} does not fit 256 bits");
        return parsed;
    }

    /// <summary>Writes a QUANTITY.</summary>
    public static string Quantity(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static ReadOnlySpan<char> HexDigits(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.String) throw JsonRpcException.InvalidParams($"{field} must be a 0x-prefixed hex string");
        string text = value.GetString()!;
        if (!text.StartsWith("0x", StringComparison.Ordinal)) throw JsonRpcException.InvalidParams($"{field} must start with 0x");
        return text.AsSpan(2);
    }

    private static ReadOnlySpan<char> QuantityDigits(JsonElement value, string field)
    {
        ReadOnlySpan<char> hex = HexDigits(value, field);
        if (hex.IsEmpty) throw JsonRpcException.InvalidParams($"{field} has no digits");
        if (hex.Length > 1 && hex[0] == '0') throw JsonRpcException.InvalidParams($"{field} has leading zeros");
        foreach (char c in hex)
        {
            if (!char.IsAsciiHexDigit(c)) throw JsonRpcException.InvalidParams($"{field} is not hex");
        }
        return hex;
    }

    private static void Decode(ReadOnlySpan<char> hex, Span<byte> destination, string field)
    {
        if (Convert.FromHexString(hex, destination, out _, out int written) != System.Buffers.OperationStatus.Done
            || written != destination.Length)
            throw JsonRpcException.InvalidParams($"{field} is not hex");
    }
}
