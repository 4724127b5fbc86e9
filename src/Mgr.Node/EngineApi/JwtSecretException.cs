namespace Mgr.Node.EngineApi;

/// <summary>A JWT secret file or value that is missing, unreadable or not a 256-bit hex key.</summary>
public sealed class JwtSecretException : Exception
{
    public JwtSecretException(string message) : base(message) { }

    public JwtSecretException() { }

    public JwtSecretException(string message, Exception innerException) : base(message, innerException) { }
}
