using Mgr.Protocol.Messages;

namespace Mgr.Protocol.Tests.Messages;

public sealed class TrieNodesTests
{
    [Fact]
    public void Rejects_an_empty_node()
    {
        byte[] payload = MessageVectorTests.Payload(new TrieNodes(1, [ReadOnlyMemory<byte>.Empty]));

        RlpBuild.Rejects(ViolationReason.WrongType, () => TrieNodes.Decode(payload));
    }

    [Fact]
    public void Rejects_more_nodes_than_can_be_asked_for()
    {
        ReadOnlyMemory<byte>[] nodes = [.. Enumerable.Range(0, Limits.MaxTrieNodePaths + 1).Select(_ => (ReadOnlyMemory<byte>)new byte[] { 0xc0 })];
        byte[] payload = MessageVectorTests.Payload(new TrieNodes(1, nodes));

        RlpBuild.Rejects(ViolationReason.TooManyItems, () => TrieNodes.Decode(payload));
    }

    [Fact]
    public void Rejects_a_node_list_that_is_a_string()
    {
        byte[] payload = RlpBuild.List(RlpBuild.U(1), RlpBuild.Str([1, 2, 3]));

        RlpBuild.Rejects(ViolationReason.WrongType, () => TrieNodes.Decode(payload));
    }
}
