using Mgr.Trie.Crypto;
using Mgr.Trie.Proofs;

namespace Mgr.Trie.Tests.Proofs;

public sealed class ProofNodeSetTests
{
    [Fact]
    public void Keys_nodes_by_their_own_hash_and_ignores_duplicates()
    {
        byte[] node = [0xc2, 0x80, 0x80];

        Assert.True(ProofNodeSet.TryCreate(new[] { node, node.ToArray() }, out ProofNodeSet? set));

        Assert.Equal(1, set.Count);
        Assert.True(set.TryGet(Keccak256.Compute(node), out var found));
        Assert.Equal(node, found.ToArray());
    }

    [Fact]
    public void Refuses_more_nodes_than_the_limit()
    {
        var nodes = Enumerable.Range(0, ProofNodeSet.MaxNodes + 1).Select(i => new byte[] { 0xc1, (byte)(i % 128) });

        Assert.False(ProofNodeSet.TryCreate(nodes, out _));
        Assert.True(ProofNodeSet.TryCreate(nodes.Take(ProofNodeSet.MaxNodes), out _));
    }

    [Fact]
    public void Refuses_more_bytes_than_the_limit()
    {
        var nodes = new[] { new byte[ProofNodeSet.MaxTotalBytes / 2], new byte[ProofNodeSet.MaxTotalBytes / 2 + 1] };

        Assert.False(ProofNodeSet.TryCreate(nodes, out _));
    }
}
