using System.Text;
using Mgr.Node.Dashboard;
using Mgr.Node.Demo;
using Mgr.Node.Progress;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Demo;

public sealed class NodeStatusTests
{
    [Fact]
    public void Reads_the_document_the_dashboard_serves()
    {
        Hash256 root = Hash256.Parse("0x" + new string('a', 64));
        var snapshot = new NodeStatusSnapshot
        {
            TakenAt = DateTimeOffset.UnixEpoch, PeerId = "16Uiu2HAmTest", Role = Role.Seeder, StateRoot = root, EpochBlock = 24, Synced = true,
            Coverage = KeyRangeSet.Full, BytesIn = 1234, BytesOut = 56789, ChunksDuplicate = 3, DuplicateBytes = 300,
            BytesByMessage = new Dictionary<MessageCode, (long In, long Out)>
            {
                [MessageCode.StateData] = (1000, 50000), [MessageCode.ChunkDiff] = (0, 6000), [MessageCode.BlockHeaders] = (234, 789),
            },
        };
        byte[] document = StatusJson.ToUtf8(snapshot, new NodeRates(null, null, null, []));

        NodeStatus status = NodeStatus.Parse(document);

        Assert.Equal(new NodeStatus("seeder", true, root, 24, 1.0, 1234, 56789, 300, 3, 0) { StateBytesOut = 56000 }, status);
    }

    [Fact]
    public void Reads_duplicate_bytes_when_the_node_publishes_them()
    {
        byte[] document = Encoding.UTF8.GetBytes("""{"role":"leecher","synced":false,"stateRoot":null,"epochBlock":null,"totals":{"bytesIn":10,"bytesOut":2,"duplicateBytes":7}}""");

        NodeStatus status = NodeStatus.Parse(document);

        Assert.Equal(7, status.DuplicateBytes);
        Assert.Null(status.StateRoot);
        Assert.False(status.Synced);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"role":"leecher"}""")]
    [InlineData("""{"role":"leecher","synced":true,"stateRoot":"0x12","totals":{"bytesIn":1,"bytesOut":1}}""")]
    [InlineData("""{"role":"leecher","synced":"yes","totals":{"bytesIn":1,"bytesOut":1}}""")]
    public void Rejects_a_document_that_is_not_a_node_status_with_a_demo_error(string text)
    {
        Assert.Throws<DemoException>(() => NodeStatus.Parse(Encoding.UTF8.GetBytes(text)));
    }
}
