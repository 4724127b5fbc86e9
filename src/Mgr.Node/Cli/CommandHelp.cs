namespace Mgr.Node.Cli;

/// <summary>Builds a command's help description: what it does, then worked examples (shown by <c>mgr &lt;command&gt; --help</c>).</summary>
internal static class CommandHelp
{
    /// <summary>The marker every runnable command's description carries before its examples.</summary>
    public const string ExamplesHeading = "Examples:";

    /// <summary><paramref name="summary"/> followed by the examples, one per line.</summary>
    public static string Describe(string summary, params string[] examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        return examples.Length == 0 ? summary : summary + "\n\n" + ExamplesHeading + "\n" + string.Join("\n", examples.Select(static e => "  " + e));
    }
}
