using Mgr.Node.Simulation;
using Xunit;

namespace Mgr.Node.Tests.Simulation;

public sealed class LowerBoundTests
{
    [Fact]
    public void A_slow_seeder_bounds_the_swarm_by_its_own_upload_of_one_copy() =>
        Assert.Equal(100, LowerBound.Swarm(1000, 10, seederUploadBytesPerSecond: 10, peerUploadBytesPerSecond: 1000, peerDownloadBytesPerSecond: 0), 9);

    [Fact]
    public void A_slow_download_bounds_every_scheme() =>
        Assert.Equal(50, LowerBound.Swarm(1000, 10, seederUploadBytesPerSecond: 1000, peerUploadBytesPerSecond: 1000, peerDownloadBytesPerSecond: 20), 9);

    [Fact]
    public void Many_leechers_are_bounded_by_the_total_upload()
    {
        // N·F/(u_s + N·u) = 100·1000/(100 + 100·5) = 166.67 > F/u_s = 10.
        double bound = LowerBound.Swarm(1000, 100, seederUploadBytesPerSecond: 100, peerUploadBytesPerSecond: 5, peerDownloadBytesPerSecond: 0);

        Assert.Equal(100_000.0 / 600, bound, 9);
    }

    [Fact]
    public void Client_server_is_bounded_by_the_seeder_sending_every_leecher_a_copy() =>
        Assert.Equal(1000, LowerBound.ClientServer(1000, 100, seederUploadBytesPerSecond: 100, peerDownloadBytesPerSecond: 0), 9);
}
