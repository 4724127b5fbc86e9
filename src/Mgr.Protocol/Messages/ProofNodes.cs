using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>Reads and writes the <c>proof</c> field: a list of RLP-encoded trie nodes (spec/trie.md), at most
/// <see cref="Limits.MaxProofNodes"/>, each 1..<see cref="Limits.MaxTrieNodeBytes"/> bytes.</summary>
internal static class ProofNodes
{
    public static ReadOnlyMemory<byte>[] Read(ref RlpReader reader, byte[] owner)
    {
        ReadOnlyMemory<byte>[] nodes = RlpFields.ReadList(ref reader, owner, Limits.MaxProofNodes, "proof");
        foreach (ReadOnlyMemory<byte> node in nodes)
        {
            if (node.Length is 0 or > Limits.MaxTrieNodeBytes) ProtocolViolationException.Throw(ViolationReason.WrongType, $"proof node of {node.Length} bytes");
        }
        return nodes;
    }
}
