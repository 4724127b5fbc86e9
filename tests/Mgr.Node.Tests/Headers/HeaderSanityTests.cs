using Mgr.Node.Headers;
using Mgr.Trie.Headers;

namespace Mgr.Node.Tests.Headers;

public sealed class HeaderSanityTests
{
    private static readonly BlockHeader[] Chain = HeaderChainGenerator.Generate(3, seed: 1);

    [Fact]
    public void Accepts_a_post_merge_header_at_its_number()
    {
        Assert.Equal(ResponseVerdict.Accepted, HeaderSanity.Check(Chain[2], 2, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void Rejects_a_header_at_the_wrong_number()
    {
        Assert.Equal(ResponseVerdict.WrongShape, HeaderSanity.Check(Chain[2], 3, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void Rejects_a_timestamp_in_the_future()
    {
        DateTimeOffset before = DateTimeOffset.FromUnixTimeSeconds((long)Chain[2].Timestamp).AddMinutes(-1);

        Assert.Equal(ResponseVerdict.FailedSanity, HeaderSanity.Check(Chain[2], 2, before));
    }

    [Fact]
    public void Rejects_a_child_that_does_not_name_its_parent()
    {
        Assert.Equal(ResponseVerdict.BrokenLink, HeaderSanity.CheckLink(Chain[0], Chain[2]));
        Assert.Equal(ResponseVerdict.Accepted, HeaderSanity.CheckLink(Chain[1], Chain[2]));
    }
}
