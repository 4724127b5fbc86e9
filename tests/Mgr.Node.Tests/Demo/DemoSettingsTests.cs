using Mgr.Node.Demo;

namespace Mgr.Node.Tests.Demo;

public sealed class DemoSettingsTests
{
    [Fact]
    public void Defaults_are_valid_and_make_an_epoch_short_enough_for_a_pivot_move()
    {
        var settings = new DemoSettings();

        settings.Validate();

        Assert.Equal(4, settings.Leechers);
        Assert.True(settings.EpochLength * (ulong)settings.SecondsPerBlock <= 30);
    }

    [Fact]
    public void Devnet_key_differs_when_the_chain_would_differ()
    {
        var settings = new DemoSettings();

        Assert.NotEqual(settings.DevnetKey, (settings with { Accounts = 30_000 }).DevnetKey);
        Assert.NotEqual(settings.DevnetKey, (settings with { EpochLength = 16 }).DevnetKey);
        Assert.Equal(settings.DevnetKey, (settings with { Leechers = 8, SecondsPerBlock = 1 }).DevnetKey);
    }

    [Theory]
    [InlineData(0, 2.0, 8UL)]
    [InlineData(65, 2.0, 8UL)]
    [InlineData(2, 0.0, 8UL)]
    [InlineData(2, double.NaN, 8UL)]
    [InlineData(2, 2.0, 1UL)]
    public void Rejects_out_of_range_values_with_an_argument_error(int leechers, double secondsPerBlock, ulong epochLength)
    {
        var settings = new DemoSettings { Leechers = leechers, SecondsPerBlock = secondsPerBlock, EpochLength = epochLength };

        Assert.Throws<ArgumentException>(settings.Validate);
    }
}
