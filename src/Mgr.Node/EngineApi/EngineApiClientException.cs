namespace Mgr.Node.EngineApi;

/// <summary>An Engine API call that failed: HTTP error (<see cref="HttpStatus"/>), a JSON-RPC error
/// (<see cref="RpcCode"/>), or an answer we could not read.</summary>
public sealed class EngineApiClientException : Exception
{
    public EngineApiClientException(string message, int? httpStatus = null, int? rpcCode = null) : base(message)
    {
        HttpStatus = httpStatus;
        RpcCode = rpcCode;
    }

    public EngineApiClientException() { }

    public EngineApiClientException(string message) : base(message) { }

    public EngineApiClientException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The HTTP status when it was not 200.</summary>
    public int? HttpStatus { get; }

    /// <summary>The JSON-RPC error code when the server answered with an error object.</summary>
    public int? RpcCode { get; }
}
