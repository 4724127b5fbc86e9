using Mgr.Fuzz.Engine;
using Mgr.Trie.Nodes;

namespace Mgr.Fuzz.Targets.Trie;

/// <summary>NodeCodec.Decode (nodes from peers and from proofs). Oracle: an accepted node re-encodes to its input.
/// Documented failure: <see cref="TrieException"/>. Budget: 8 KiB + 8 B per input byte (node objects for inline
/// children, the stored copy, the re-encoding).</summary>
internal sealed class TrieNodeTarget : FuzzTarget
{
    public override string Name => "trie-node";

    public override InputFormat Format => InputFormat.Rlp;

    public override AllocationBudget Budget => new(8192, 8);

    public override IEnumerable<byte[]> Seeds() => ProofFixture.Instance.AllNodes.Take(24);

    public override string Execute(byte[] input)
    {
        TrieNode node = NodeCodec.Decode(input);
        byte[] again = NodeCodec.Encode(node);
        if (!again.AsSpan().SequenceEqual(input)) throw new FuzzOracleException($"accepted node re-encodes to {Convert.ToHexStringLower(again)}");
        return node.GetType().Name;
    }

    public override string? Classify(Exception error) => error is TrieException trie ? $"trie:{trie.Reason}" : null;
}
