using Mgr.Protocol.Messages;
using static Mgr.Protocol.Tests.Messages.MessageSamples;

namespace Mgr.Protocol.Tests.Messages;

public sealed class GetTrieNodesTests
{
    private static byte[] Encode(params TrieNodePathSet[] paths) => MessageVectorTests.Payload(new GetTrieNodes(1, H("root"), paths, 1024));

    [Theory]
    [InlineData("00", 0)]
    [InlineData("1a", 1)]
    [InlineData("00abcd", 4)]
    [InlineData("1abcde", 5)]
    public void Counts_nibbles_of_hex_prefix_paths(string hex, int nibbles)
    {
        Assert.Equal(nibbles, TrieNodePathSet.NibbleCount(Hex(hex)));
    }

    [Theory]
    [InlineData("20")]   // leaf flag
    [InlineData("3a")]   // leaf flag, odd
    [InlineData("01")]   // even path with a pad nibble set
    [InlineData("")]     // no flag byte
    public void Rejects_malformed_paths(string hex)
    {
        byte[] payload = Encode(new TrieNodePathSet(Hex(hex), []));

        RlpBuild.Rejects(ViolationReason.InvalidPath, () => GetTrieNodes.Decode(payload));
    }

    [Fact]
    public void Rejects_storage_paths_under_a_partial_account_path()
    {
        byte[] payload = Encode(new TrieNodePathSet(Hex("1a"), [Hex("00")]));

        RlpBuild.Rejects(ViolationReason.InvalidPath, () => GetTrieNodes.Decode(payload));
    }

    [Fact]
    public void Rejects_an_empty_path_set()
    {
        byte[] payload = RlpBuild.List(RlpBuild.U(1), RlpBuild.H(H("root")), RlpBuild.List(RlpBuild.List()), RlpBuild.U(10));

        RlpBuild.Rejects(ViolationReason.InvalidPath, () => GetTrieNodes.Decode(payload));
    }

    [Fact]
    public void Rejects_more_paths_than_the_limit()
    {
        TrieNodePathSet[] sets = [.. Enumerable.Range(0, Limits.MaxTrieNodePaths + 1).Select(_ => new TrieNodePathSet(Hex("00"), []))];

        RlpBuild.Rejects(ViolationReason.TooManyItems, () => GetTrieNodes.Decode(Encode(sets)));
    }

    [Fact]
    public void Keeps_storage_paths_with_their_account_path()
    {
        var request = (GetTrieNodes)MessageVectorTests.Sample("get-trie-nodes");

        GetTrieNodes decoded = GetTrieNodes.Decode(MessageVectorTests.Payload(request));

        Assert.Equal(2, decoded.Paths[2].StoragePaths.Count);
        Assert.Equal(64, TrieNodePathSet.NibbleCount(decoded.Paths[2].AccountPath.Span));
    }
}
