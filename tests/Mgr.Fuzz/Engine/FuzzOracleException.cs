namespace Mgr.Fuzz.Engine;

/// <summary>Thrown by a target when the decoder answered without an error but the answer is wrong (for example an
/// accepted encoding that does not round-trip). Never a documented failure, so the runner reports it as a crash.</summary>
internal sealed class FuzzOracleException : Exception
{
    public FuzzOracleException(string message) : base(message) { }

    public FuzzOracleException() : base("fuzz oracle failed") { }

    public FuzzOracleException(string message, Exception innerException) : base(message, innerException) { }
}
