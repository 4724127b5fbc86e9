namespace Mgr.Node.Simulation;

/// <summary>Lower bounds on the time to give F bytes to each of N leechers (spec/simulator.md, "The bound").</summary>
public static class LowerBound
{
    /// <summary>Any scheme: max(F/u_s, F/d_min, N·F/(u_s + Σu_i)) where u_s is the seeders' total upload, u_i the
    /// leechers' uploads (all <paramref name="peerUploadBytesPerSecond"/>) and d_min the slowest leecher download
    /// (0 = unlimited, dropping that term). Seconds.</summary>
    public static double Swarm(double stateBytes, int leechers, double seederUploadBytesPerSecond, double peerUploadBytesPerSecond,
                               double peerDownloadBytesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stateBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(leechers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seederUploadBytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(peerUploadBytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(peerDownloadBytesPerSecond);
        double seeder = stateBytes / seederUploadBytesPerSecond;
        double download = peerDownloadBytesPerSecond > 0 ? stateBytes / peerDownloadBytesPerSecond : 0;
        double total = leechers * stateBytes / (seederUploadBytesPerSecond + leechers * peerUploadBytesPerSecond);
        return Math.Max(seeder, Math.Max(download, total));
    }

    /// <summary>Client–server (leechers never upload): max(F/d_min, N·F/u_s). Seconds.</summary>
    public static double ClientServer(double stateBytes, int leechers, double seederUploadBytesPerSecond, double peerDownloadBytesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stateBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(leechers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seederUploadBytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(peerDownloadBytesPerSecond);
        double download = peerDownloadBytesPerSecond > 0 ? stateBytes / peerDownloadBytesPerSecond : 0;
        return Math.Max(download, leechers * stateBytes / seederUploadBytesPerSecond);
    }
}
