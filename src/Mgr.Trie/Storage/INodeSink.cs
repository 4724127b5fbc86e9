using Mgr.Trie.Primitives;

namespace Mgr.Trie.Storage;

/// <summary>Receives finished trie nodes, keyed by the Keccak-256 of their RLP, as a trie is built or
/// committed. Only nodes referenced by hash are written (RLP of 32 bytes or more, and the root);
/// nodes shorter than 32 bytes live inside their parent.</summary>
/// <remarks>The RLP span passed to <see cref="Put"/> is only valid during the call: copy it if you keep it.</remarks>
public interface INodeSink
{
    /// <summary>Stores <paramref name="rlp"/> under <paramref name="hash"/> (= Keccak-256 of it). Writing
    /// the same node twice must be harmless.</summary>
    void Put(Hash256 hash, ReadOnlySpan<byte> rlp);
}
