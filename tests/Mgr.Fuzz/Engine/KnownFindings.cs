namespace Mgr.Fuzz.Engine;

/// <summary>Open bugs the fuzzer found in code this project does not own, reported to their owners and pinned by the
/// (skipped) regression tests in tests/Mgr.Fuzz.Tests/Regressions. While listed here they are counted, not reported,
/// so CI stays a signal for new findings. Delete an entry (and the test's Skip) once its fix lands.</summary>
internal static class KnownFindings
{
    // System.Text.Json validates string contents lazily: JsonElement.GetString / TryGetProperty / Utf8JsonReader.GetString
    // throw InvalidOperationException on invalid UTF-8 or a lone \uD800 escape, which these parsers do not catch.
    private const string LoneSurrogate = "InvalidOperationException@ThrowHelper.ThrowInvalidOperationException_ReadIncompleteUTF16";
    private const string InvalidUtf8 = "InvalidOperationException@JsonReaderHelper.TranscodeHelper";

    /// <summary>Keys as <c>target:finding key</c>.</summary>
    public static IReadOnlySet<string> Keys { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        $"genesis:{LoneSurrogate}", $"genesis:{InvalidUtf8}",
        $"engine-api:{LoneSurrogate}", $"engine-api:{InvalidUtf8}",
        $"jwt:{LoneSurrogate}", $"jwt:{InvalidUtf8}",
        $"checkpoint-json:{LoneSurrogate}", $"checkpoint-json:{InvalidUtf8}",
    };
}
