namespace Mgr.Trie.Genesis;

/// <summary>A genesis file was rejected: <see cref="JsonPath"/> names the field at fault (e.g.
/// <c>$.alloc["0x71…"].balance</c>, or <c>$</c> for the file as a whole) and the message says why.</summary>
public sealed class GenesisException : Exception
{
    public GenesisException(string jsonPath, string reason, Exception? innerException = null)
        : base($"genesis {jsonPath}: {reason}", innerException)
    {
        JsonPath = jsonPath;
        Reason = reason;
    }

    public GenesisException() : this("$", "invalid genesis file") { }

    public GenesisException(string message) : this("$", message) { }

    public GenesisException(string message, Exception innerException) : this("$", message, innerException) { }

    /// <summary>JSON path of the offending field.</summary>
    public string JsonPath { get; }

    /// <summary>What is wrong with it, without the path.</summary>
    public string Reason { get; }
}
