namespace Mgr.Node.Storage;

/// <summary>A peer's persisted standing: its penalty score and the time (Unix milliseconds) until which it is
/// banned (0 or a past time: not banned).</summary>
public readonly record struct PeerPenalty(long Score, long BannedUntilUnixMs)
{
    public bool IsBannedAt(DateTimeOffset now) => BannedUntilUnixMs > now.ToUnixTimeMilliseconds();
}
