namespace Mgr.Node.Cli;

/// <summary>Malformed input given to a command (a file, an argument): reported as one line on stderr with
/// exit code <see cref="CliInput.InvalidInputExitCode"/>.</summary>
internal sealed class CliInputException : Exception
{
    public CliInputException(string message) : base(message) { }

    public CliInputException(string message, Exception innerException) : base(message, innerException) { }

    public CliInputException() : this("invalid input") { }
}
