using Mgr.Protocol.Epochs;

namespace Mgr.Protocol.Tests.Epochs;

public sealed class EpochScheduleTests
{
    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(255UL, 0UL)]
    [InlineData(256UL, 1UL)]
    [InlineData(1000UL, 3UL)]
    public void The_current_epoch_is_the_last_boundary_at_or_below_finality(ulong finalized, ulong epoch)
    {
        var schedule = new EpochSchedule(256);

        Assert.Equal(epoch, schedule.CurrentEpoch(finalized));
        Assert.True(schedule.BoundaryNumber(epoch) <= finalized);
        Assert.True(schedule.BoundaryNumber(epoch + 1) > finalized);
    }

    [Fact]
    public void Boundaries_are_multiples_of_the_epoch_length()
    {
        var schedule = new EpochSchedule(32);

        Assert.True(schedule.IsBoundary(0));
        Assert.True(schedule.IsBoundary(96));
        Assert.False(schedule.IsBoundary(97));
        Assert.Equal(96UL, schedule.BoundaryNumber(3));
    }

    [Fact]
    public void Refuses_a_zero_epoch_length_and_an_overflowing_boundary()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EpochSchedule(0));
        Assert.Throws<OverflowException>(() => new EpochSchedule(256).BoundaryNumber(ulong.MaxValue));
    }
}
