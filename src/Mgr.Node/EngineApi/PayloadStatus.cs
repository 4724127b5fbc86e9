namespace Mgr.Node.EngineApi;

/// <summary>PayloadStatusV1's <c>status</c> values (paris.md).</summary>
public enum PayloadStatus
{
    Valid,
    Invalid,
    Syncing,
    Accepted,
    InvalidBlockHash,
}
