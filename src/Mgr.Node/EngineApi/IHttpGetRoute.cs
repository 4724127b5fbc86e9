namespace Mgr.Node.EngineApi;

/// <summary>An unauthenticated, read-only GET resource served beside the Engine API (e.g. the finalized
/// header a checkpoint-syncing node asks for).</summary>
public interface IHttpGetRoute
{
    /// <summary>The absolute path served, e.g. <c>/mgr/v1/checkpoint</c>.</summary>
    string Path { get; }

    /// <summary>The JSON body to send, or null when there is nothing to serve yet (HTTP 404).</summary>
    byte[]? Respond();
}
