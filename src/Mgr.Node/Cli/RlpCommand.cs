using System.CommandLine;
using System.Text;
using Mgr.Trie.Rlp;

namespace Mgr.Node.Cli;

/// <summary><c>mgr rlp &lt;hex&gt;</c>: decodes one RLP item and prints its structure as indented JSON —
/// lists as arrays, strings as <c>"0x…"</c> hex (see spec/cli.md).</summary>
/// <remarks>Exit codes: 0 decoded; 2 bad hex or invalid RLP, with a one-line reason on stderr and nothing
/// on stdout. Decoding is strict (canonical RLP only, no trailing bytes).</remarks>
internal static class RlpCommand
{
    public const int ExitOk = 0;
    public const int ExitBadInput = 2;

    private const string Indent = "  ";

    public static Command Create()
    {
        var hex = new Argument<string>("hex") { Description = "RLP bytes as hex; the 0x prefix is optional." };
        var ascii = new Option<bool>("--ascii") { Description = "Annotate printable-ASCII strings with a // \"text\" comment (output is then no longer plain JSON)." };
        var command = new Command("rlp", CommandHelp.Describe("Decode RLP and print its structure as indented JSON (like rlpdump).", "mgr rlp 0xc98363617483646f67c0", "mgr rlp --ascii c98363617483646f67c0"));
        command.Arguments.Add(hex);
        command.Options.Add(ascii);
        command.SetAction(parseResult => Run(
            parseResult.GetRequiredValue(hex),
            parseResult.GetValue(ascii),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Decodes <paramref name="hex"/> and writes the dump to <paramref name="output"/>, or one line
    /// to <paramref name="error"/>; returns the exit code.</summary>
    public static int Run(string hex, bool ascii, TextWriter output, TextWriter error)
    {
        if (!TryParseHex(hex, out byte[] bytes, out string? hexProblem))
        {
            error.WriteLine($"mgr rlp: invalid hex: {hexProblem}");
            return ExitBadInput;
        }
        var text = new StringBuilder();
        try
        {
            var reader = new RlpReader(bytes);
            text.Append(WriteItem(ref reader, text, 0, ascii));
            reader.EnsureEnd();
        }
        catch (RlpException invalid)
        {
            error.WriteLine($"mgr rlp: invalid RLP: {invalid.Reason} at byte {invalid.Position}");
            return ExitBadInput;
        }
        output.WriteLine(text.ToString());
        return ExitOk;
    }

    // Appends one item; returns the "  // text" hint for a printable string (when asked for), which the
    // caller places after the item's separator. Nesting is bounded by RlpReader.MaxDepth, so is the recursion.
    private static string? WriteItem(ref RlpReader reader, StringBuilder text, int depth, bool ascii)
    {
        if (!reader.PeekIsList)
        {
            ReadOnlySpan<byte> value = reader.ReadBytes();
            text.Append("\"0x").Append(Convert.ToHexStringLower(value)).Append('"');
            return ascii && IsPrintableAscii(value) ? $"  // {JsonString(value)}" : null;
        }
        RlpReader items = reader.ReadList();
        if (items.IsEnd)
        {
            text.Append("[]");
            return null;
        }
        text.Append('[');
        while (!items.IsEnd)
        {
            text.Append('\n');
            for (int i = 0; i <= depth; i++) text.Append(Indent);
            string? hint = WriteItem(ref items, text, depth + 1, ascii);
            if (!items.IsEnd) text.Append(',');
            text.Append(hint);
        }
        text.Append('\n');
        for (int i = 0; i < depth; i++) text.Append(Indent);
        text.Append(']');
        return null;
    }

    private static string JsonString(ReadOnlySpan<byte> printable) =>
        "\"" + Encoding.ASCII.GetString(printable).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static bool IsPrintableAscii(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) return false;
        foreach (byte b in value)
        {
            if (b is < 0x20 or > 0x7e) return false;
        }
        return true;
    }

    private static bool TryParseHex(string hex, out byte[] bytes, out string? problem)
    {
        bytes = [];
        ReadOnlySpan<char> digits = hex.AsSpan().Trim();
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) digits = digits[2..];
        if (digits.Length % 2 != 0)
        {
            problem = $"odd number of hex digits ({digits.Length})";
            return false;
        }
        var result = new byte[digits.Length / 2];
        for (int i = 0; i < digits.Length; i++)
        {
            int nibble = HexValue(digits[i]);
            if (nibble < 0)
            {
                problem = $"'{digits[i]}' is not a hex digit (digit {i})";
                return false;
            }
            result[i / 2] |= (byte)(i % 2 == 0 ? nibble << 4 : nibble);
        }
        bytes = result;
        problem = null;
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
