namespace Mgr.Node.EngineApi;

/// <summary>A request a method refuses: becomes a JSON-RPC error object with <see cref="Code"/>.</summary>
/// <remarks>Thrown by method handlers for bad parameters; the dispatcher turns it into an error response,
/// so it never escapes to the HTTP layer. <see cref="Exception.Message"/> is the detail shown to the caller.</remarks>
public sealed class JsonRpcException : Exception
{
    public JsonRpcException(int code, string detail) : base(detail) => Code = code;

    public JsonRpcException() : this(JsonRpcErrorCodes.InternalError, "internal error") { }

    public JsonRpcException(string message) : this(JsonRpcErrorCodes.InvalidParams, message) { }

    public JsonRpcException(string message, Exception innerException) : base(message, innerException) =>
        Code = JsonRpcErrorCodes.InternalError;

    /// <summary>The JSON-RPC error code (see <see cref="JsonRpcErrorCodes"/>).</summary>
    public int Code { get; }

    /// <summary>An invalid-params error naming the offending parameter or field.</summary>
    public static JsonRpcException InvalidParams(string detail) => new(JsonRpcErrorCodes.InvalidParams, detail);
}
