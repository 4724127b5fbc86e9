using Mgr.Node.Headers;

namespace Mgr.Node.Tests.Headers;

public sealed class PeerHeadEstimatorTests
{
    [Fact]
    public void Ignores_a_rogue_peer_claiming_an_absurd_head()
    {
        ulong? estimate = PeerHeadEstimator.Estimate([1_000, 1_002, ulong.MaxValue]);

        Assert.Equal(1_002UL, estimate);
    }

    [Fact]
    public void Takes_the_lower_median_of_an_even_count()
    {
        Assert.Equal(20UL, PeerHeadEstimator.Estimate([40, 10, 30, 20]));
    }

    [Fact]
    public void Has_no_estimate_without_claims()
    {
        Assert.Null(PeerHeadEstimator.Estimate([]));
    }
}
