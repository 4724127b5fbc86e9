using Mgr.Trie.Primitives;

namespace Mgr.Node.EngineApi;

/// <summary>A PayloadStatusV1 as a client reads it.</summary>
public sealed record PayloadStatusResult(PayloadStatus Status, Hash256? LatestValidHash, string? ValidationError);
