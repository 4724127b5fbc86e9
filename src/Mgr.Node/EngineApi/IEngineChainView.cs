using Mgr.Trie.Primitives;

namespace Mgr.Node.EngineApi;

/// <summary>What the Engine API handler needs to know about the node's chain to pick its answers.</summary>
public interface IEngineChainView
{
    /// <summary>True once the node holds the verified state of its finalized block (sync finished).</summary>
    bool IsSynced { get; }

    /// <summary>True when the node stores the header <paramref name="hash"/>.</summary>
    bool ContainsHeader(Hash256 hash);
}
