namespace Mgr.Node.EngineApi;

/// <summary>The JSON-RPC 2.0 and Engine API error codes we answer with (common.md, "Errors").</summary>
public static class JsonRpcErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;
    /// <summary>Generic server error; the only code whose <c>data</c> is an object with an <c>err</c> member.</summary>
    public const int ServerError = -32000;
    public const int UnknownPayload = -38001;
    public const int InvalidForkchoiceState = -38002;
    public const int InvalidPayloadAttributes = -38003;
    public const int TooLargeRequest = -38004;
    public const int UnsupportedFork = -38005;
    public const int TooDeepReorg = -38006;

    /// <summary>The spec's message for a code.</summary>
    public static string MessageOf(int code) => code switch
    {
        ParseError => "Parse error",
        InvalidRequest => "Invalid Request",
        MethodNotFound => "Method not found",
        InvalidParams => "Invalid params",
        InternalError => "Internal error",
        ServerError => "Server error",
        UnknownPayload => "Unknown payload",
        InvalidForkchoiceState => "Invalid forkchoice state",
        InvalidPayloadAttributes => "Invalid payload attributes",
        TooLargeRequest => "Too large request",
        UnsupportedFork => "Unsupported fork",
        TooDeepReorg => "Too deep reorg",
        _ => "Error",
    };
}
