using Mgr.Node.Headers;
using Mgr.Node.Stages;
using Mgr.Node.Storage;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Chain;

/// <summary>The node's chain as the Engine API and the checkpoint endpoint see it, read from the store: which
/// headers are stored, whether every stage has reached the finalized block, and the latest finalized header.</summary>
/// <remarks>Thread-safe (reads only). <see cref="IsSynced"/> is true once every stage given is complete up to
/// the finalized block and none is mid-step.</remarks>
public sealed class StoreChainView(IKeyValueReader store, HeaderSyncTarget target, IReadOnlyList<StageId> stages)
    : Mgr.Node.EngineApi.IEngineChainView, IFinalizedHeaderSource
{
    public bool IsSynced
    {
        get
        {
            if (target.Finalized is not { } top || stages.Count == 0) return false;
            foreach (StageId stage in stages)
            {
                if (StageCheckpoints.Read(store, stage) is not { } reached || reached.BlockNumber < top.Number || !reached.Cursor.IsEmpty) return false;
            }
            return true;
        }
    }

    public bool ContainsHeader(Hash256 hash) => HeaderStore.TryReadNumber(store, hash, out _);

    public WeakSubjectivityCheckpoint? LatestFinalized =>
        target.Finalized is { } top && ContainsHeader(top.Hash) ? new WeakSubjectivityCheckpoint(top.Number, top.Hash, top.Encode()) : null;
}
