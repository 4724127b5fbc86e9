using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>The answer to <see cref="GetTrieNodes"/>: nodes in request order, possibly fewer (byte limit, or none
/// when the root is unknown). Each node is verified by the requester against the hash its parent names.</summary>
public sealed record TrieNodes(ulong RequestId, IReadOnlyList<ReadOnlyMemory<byte>> Nodes) : IResponse
{
    public MessageCode Code => MessageCode.TrieNodes;

    private int ContentLength() => Rlp.LengthOf(RequestId) + Rlp.LengthOfList(RlpFields.ContentOf(Nodes));

    public int EncodedLength() => Rlp.LengthOfList(ContentLength());

    public void WriteTo(Span<byte> destination)
    {
        RlpWriter writer = RlpFields.Begin(destination, ContentLength());
        writer.Write(RequestId);
        RlpFields.WriteList(ref writer, Nodes);
    }

    /// <summary>Decodes a TrieNodes payload.</summary>
    public static TrieNodes Decode(ReadOnlySpan<byte> payload) => RlpFields.Decode(payload, nameof(TrieNodes), static (ref RlpReader fields, byte[] owner) =>
    {
        ulong id = RlpFields.ReadRequestId(ref fields);
        ReadOnlyMemory<byte>[] nodes = RlpFields.ReadList(ref fields, owner, Limits.MaxTrieNodePaths, "trie nodes");
        foreach (ReadOnlyMemory<byte> node in nodes)
        {
            if (node.Length is 0 or > Limits.MaxTrieNodeBytes) ProtocolViolationException.Throw(ViolationReason.WrongType, $"trie node of {node.Length} bytes");
        }
        return new TrieNodes(id, nodes);
    });
}
