using Mgr.Node.EngineApi;

namespace Mgr.Node.Chain;

/// <summary>Serves this node's latest finalized header at <c>GET /mgr/v1/checkpoint</c> in the
/// <see cref="CheckpointFormat"/> JSON document, for other nodes' <c>--checkpoint-url</c>.</summary>
/// <remarks>Unauthenticated and read-only: a finalized header is public data. 404 until something is finalized.</remarks>
public sealed class CheckpointRoute(IFinalizedHeaderSource source) : IHttpGetRoute
{
    /// <summary>The path served.</summary>
    public const string RoutePath = "/mgr/v1/checkpoint";

    public string Path => RoutePath;

    public byte[]? Respond() => source.LatestFinalized is { HeaderRlp.IsEmpty: false } latest ? CheckpointFormat.ToJson(latest) : null;
}
