using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Node.Chain;

/// <summary>The text forms of a <see cref="WeakSubjectivityCheckpoint"/>: the <c>number:hash</c> argument,
/// and the JSON document a checkpoint file holds and <see cref="CheckpointRoute"/> serves:
/// <c>{"number":"0x…","hash":"0x…","header":"0x…"}</c> (<c>header</c>, the RLP, optional).</summary>
/// <remarks>Every failure is a <see cref="CheckpointException"/> whose message names the problem. When a header
/// is present it must hash to <c>hash</c> and carry <c>number</c>, so a file or server cannot pair them wrongly.</remarks>
public static class CheckpointFormat
{
    /// <summary>Largest checkpoint document read (a header is ~600 bytes; this bounds a hostile server).</summary>
    public const int MaxDocumentBytes = 64 * 1024;

    /// <summary>Parses <c>&lt;number&gt;:&lt;0x-hash&gt;</c> (number in decimal).</summary>
    public static WeakSubjectivityCheckpoint ParseArgument(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
            throw new CheckpointException($"checkpoint '{Shorten(text)}' must look like <number>:<hash>, e.g. 1000:0x…(64 hex digits)");
        if (!ulong.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out ulong number))
            throw new CheckpointException($"checkpoint block number '{Shorten(text[..colon])}' is not a decimal number");
        string hashText = text[(colon + 1)..];
        if (!hashText.StartsWith("0x", StringComparison.Ordinal) || hashText.Length != 66 || !Hash256.TryParse(hashText, out Hash256 hash))
            throw new CheckpointException($"checkpoint hash '{Shorten(hashText)}' must be 0x followed by 64 hex digits");
        return new WeakSubjectivityCheckpoint(number, hash);
    }

    /// <summary>Reads a checkpoint file: either the <c>number:hash</c> text or the JSON document.</summary>
    public static WeakSubjectivityCheckpoint LoadFile(string path)
    {
        byte[] content;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new CheckpointException($"checkpoint file '{path}' does not exist");
            if (info.Length > MaxDocumentBytes) throw new CheckpointException($"checkpoint file '{path}' is larger than {MaxDocumentBytes} bytes");
            content = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"cannot read checkpoint file '{path}': {e.Message}", e);
        }
        ReadOnlySpan<byte> trimmed = content.AsSpan().Trim(" \t\r\n"u8);
        try
        {
            if (trimmed.StartsWith("{"u8)) return ParseJson(trimmed);
            return ParseArgument(System.Text.Encoding.UTF8.GetString(trimmed));
        }
        catch (CheckpointException e)
        {
            throw new CheckpointException($"checkpoint file '{path}': {e.Message}", e);
        }
    }

    /// <summary>Parses the JSON document.</summary>
    public static WeakSubjectivityCheckpoint ParseJson(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxDocumentBytes) throw new CheckpointException($"checkpoint document is larger than {MaxDocumentBytes} bytes");
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4 });
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new CheckpointException("checkpoint document must be a JSON object");
            ulong number = ReadNumber(root);
            Hash256 hash = ReadHash(root);
            byte[] header = [];
            if (root.TryGetProperty("header", out JsonElement headerElement) && headerElement.ValueKind != JsonValueKind.Null)
            {
                header = ReadHex(headerElement, "header");
                CheckHeader(header, number, hash);
            }
            return new WeakSubjectivityCheckpoint(number, hash, header);
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"checkpoint document is not valid JSON: {e.Message}", e);
        }        catch (InvalidOperationException e)
        {
            // System.Text.Json checks string text only when a string is read: bad UTF-8 or a lone surrogate escape.
            throw new CheckpointException("checkpoint document holds a string that is not valid UTF-8 text", e);
        }
    }

    /// <summary>The JSON document for <paramref name="checkpoint"/> (with its header when it has one).</summary>
    public static byte[] ToJson(WeakSubjectivityCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("number"u8, "0x" + checkpoint.Number.ToString("x", CultureInfo.InvariantCulture));
            writer.WriteString("hash"u8, checkpoint.Hash.ToString());
            if (!checkpoint.HeaderRlp.IsEmpty) writer.WriteString("header"u8, "0x" + Convert.ToHexStringLower(checkpoint.HeaderRlp.Span));
            writer.WriteEndObject();
        }
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Checks that <paramref name="headerRlp"/> hashes to <paramref name="hash"/> and is block <paramref name="number"/>.</summary>
    public static void CheckHeader(ReadOnlySpan<byte> headerRlp, ulong number, Hash256 hash)
    {
        if (Keccak256.Compute(headerRlp) != hash) throw new CheckpointException($"checkpoint header does not hash to {hash}");
        ulong headerNumber;
        try
        {
            var outer = new RlpReader(headerRlp);
            RlpReader fields = outer.ReadList();
            for (int i = 0; i < 8; i++) fields.Skip(); // parentHash … difficulty
            headerNumber = fields.ReadUInt64();
        }
        catch (RlpException e)
        {
            throw new CheckpointException($"checkpoint header is not a valid block header: {e.Message}", e);
        }
        if (headerNumber != number) throw new CheckpointException($"checkpoint header is block {headerNumber}, not {number}");
    }

    private static ulong ReadNumber(JsonElement root)
    {
        if (!root.TryGetProperty("number", out JsonElement element)) throw new CheckpointException("checkpoint document has no \"number\"");
        if (element.ValueKind == JsonValueKind.Number && element.TryGetUInt64(out ulong plain)) return plain;
        if (element.ValueKind == JsonValueKind.String && element.GetString() is { } text && text.StartsWith("0x", StringComparison.Ordinal)
            && text.Length is > 2 and <= 18 && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong hex))
            return hex;
        throw new CheckpointException("checkpoint \"number\" must be a 0x-hex quantity or a non-negative integer");
    }

    private static Hash256 ReadHash(JsonElement root)
    {
        if (!root.TryGetProperty("hash", out JsonElement element) || element.ValueKind != JsonValueKind.String)
            throw new CheckpointException("checkpoint document has no string \"hash\"");
        string text = element.GetString()!;
        if (!text.StartsWith("0x", StringComparison.Ordinal) || text.Length != 66 || !Hash256.TryParse(text, out Hash256 hash))
            throw new CheckpointException("checkpoint \"hash\" must be 0x followed by 64 hex digits");
        return hash;
    }

    private static byte[] ReadHex(JsonElement element, string name)
    {
        string? text = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        if (text is null || !text.StartsWith("0x", StringComparison.Ordinal) || text.Length % 2 != 0)
            throw new CheckpointException($"checkpoint \"{name}\" must be 0x-prefixed hex");
        try
        {
            return Convert.FromHexString(text.AsSpan(2));
        }
        catch (FormatException e)
        {
            throw new CheckpointException($"checkpoint \"{name}\" must be 0x-prefixed hex", e);
        }
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
