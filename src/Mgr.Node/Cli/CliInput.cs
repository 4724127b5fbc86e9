using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mgr.Trie.Genesis;
using Mgr.Trie.Headers;

namespace Mgr.Node.Cli;

/// <summary>Shared plumbing of the trie, header and init commands: reading 0x-hex and input files, and
/// turning malformed input into one line on stderr and exit code 2.</summary>
internal static class CliInput
{
    /// <summary>Exit code for success.</summary>
    public const int SuccessExitCode = 0;

    /// <summary>Exit code for malformed input (file, JSON, hex, RLP); the reason is one line on stderr.</summary>
    public const int InvalidInputExitCode = 2;

    /// <summary>Largest input file a command reads: far above any genesis or test case, and a bound on memory.</summary>
    public const long MaxFileBytes = 512L * 1024 * 1024;

    /// <summary>Runs <paramref name="body"/> with the command's stdout; malformed-input exceptions become
    /// one line "mgr &lt;command&gt;: …" on stderr and exit code 2.</summary>
    public static int Run(ParseResult parseResult, Func<TextWriter, int> body)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(body);
        TextWriter output = parseResult.InvocationConfiguration.Output;
        TextWriter error = parseResult.InvocationConfiguration.Error;
        try
        {
            return body(output);
        }
        catch (Exception e) when (e is CliInputException or GenesisException or HeaderDecodeException or JsonException)
        {
            error.WriteLine($"{CommandPath(parseResult)}: {OneLine(e.Message)}");
            return InvalidInputExitCode;
        }
    }

    /// <summary>A file the user named, opened to be read as a stream (of any size: the reader bounds its own memory).</summary>
    /// <exception cref="CliInputException">When it is missing or cannot be opened.</exception>
    public static FileStream OpenFile(string path)
    {
        try
        {
            if (!File.Exists(path)) throw new CliInputException($"{path}: no such file");
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>The bytes of a file the user named.</summary>
    /// <exception cref="CliInputException">When it is missing, unreadable or larger than <see cref="MaxFileBytes"/>.</exception>
    public static byte[] ReadFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new CliInputException($"{path}: no such file");
            if (info.Length > MaxFileBytes) throw new CliInputException($"{path}: {info.Length} bytes is more than the {MaxFileBytes} accepted");
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Hex digits with an optional 0x prefix, an even number of them; surrounding whitespace is ignored.</summary>
    /// <exception cref="CliInputException">On anything else; <paramref name="what"/> names the input in the message.</exception>
    public static byte[] ParseHex(string? text, string what)
    {
        if (text is null) throw new CliInputException($"{what}: expected a 0x-hex string");
        ReadOnlySpan<char> digits = text.AsSpan().Trim();
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) digits = digits[2..];
        if (digits.Length % 2 != 0) throw new CliInputException($"{what}: odd number of hex digits");
        var bytes = new byte[digits.Length / 2];
        for (int i = 0; i < bytes.Length; i++)
        {
            if (!byte.TryParse(digits.Slice(2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
                throw new CliInputException($"{what}: '{Shorten(text)}' is not hex");
        }
        return bytes;
    }

    /// <summary>Lower-case 0x-hex of <paramref name="bytes"/>.</summary>
    public static string ToHex(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);

    /// <summary>"mgr trie root" for the command being run: the prefix of its error lines.</summary>
    public static string CommandPath(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var names = new List<string>();
        for (System.CommandLine.Parsing.SymbolResult? result = parseResult.CommandResult; result is not null; result = result.Parent)
        {
            if (result is System.CommandLine.Parsing.CommandResult { Command: not RootCommand } command) names.Add(command.Command.Name);
        }
        names.Add("mgr");
        names.Reverse();
        return string.Join(' ', names);
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");

    private static string Shorten(string text) => text.Length <= 70 ? text : string.Concat(text.AsSpan(0, 67), "...");
}
