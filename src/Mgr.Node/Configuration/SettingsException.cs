namespace Mgr.Node.Configuration;

/// <summary>A node setting is missing or malformed. The message is one line naming the setting and where its value
/// came from (a flag, an MGR_* variable or the config file); <c>mgr node</c> prints it and exits with 2.</summary>
public sealed class SettingsException : Exception
{
    public SettingsException(string message) : base(message) { }

    public SettingsException(string message, Exception innerException) : base(message, innerException) { }

    public SettingsException() : this("invalid node settings") { }
}
