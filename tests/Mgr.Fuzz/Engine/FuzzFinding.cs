namespace Mgr.Fuzz.Engine;

/// <summary>One bad input and why it is bad. <see cref="Key"/> groups findings with the same cause (exception type and
/// throwing method) so a long run reports each bug once.</summary>
internal sealed record FuzzFinding(string Target, FindingKind Kind, byte[] Input, string Key, string Detail)
{
    public string InputHex => Convert.ToHexStringLower(Input);

    public override string ToString() => $"[{Target}] {Kind} {Key}\n  input ({Input.Length} B): {Shorten(InputHex)}\n  {Detail.Replace("\n", "\n  ", StringComparison.Ordinal)}";

    private static string Shorten(string hex) => hex.Length <= 512 ? hex : $"{hex[..512]}… (full input saved to the findings folder)";
}
