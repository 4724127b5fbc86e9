using Mgr.Node.Storage;
using Mgr.Trie.Primitives;
using Mgr.Trie.Storage;

namespace Mgr.Node.Swarm;

/// <summary>An <see cref="INodeSink"/> that keeps copies of the nodes it receives, for a <see cref="VerifiedChunk"/>.</summary>
internal sealed class NodeCollector : INodeSink
{
    public List<TrieNodeBlob> Nodes { get; } = [];

    public void Put(Hash256 hash, ReadOnlySpan<byte> rlp) => Nodes.Add(new TrieNodeBlob(hash, rlp.ToArray()));

    public void AddProof(IReadOnlyList<ReadOnlyMemory<byte>> proof)
    {
        foreach (ReadOnlyMemory<byte> node in proof)
        {
            if (node.Length >= Hash256.Length) Nodes.Add(new TrieNodeBlob(Mgr.Trie.Crypto.Keccak256.Compute(node.Span), node));
        }
    }
}
