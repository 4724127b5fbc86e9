namespace Mgr.Node.Peers;

/// <summary>How violations turn into bans (spec/mgr-protocol.md §7): score per class, decay, the ban threshold
/// and how long a ban lasts. Defaults are the spec's suggestions.</summary>
public sealed record PenaltyPolicy
{
    /// <summary>Score of a minor violation (late, unsolicited, busy).</summary>
    public int MinorScore { get; init; } = 1;

    /// <summary>Score of a serious violation (a failed proof or diff).</summary>
    public int SeriousScore { get; init; } = 10;

    /// <summary>Score at which a peer is disconnected with Banned and banned.</summary>
    public int BanScore { get; init; } = 20;

    /// <summary>Score forgiven per minute.</summary>
    public double DecayPerMinute { get; init; } = 1;

    /// <summary>How long a ban lasts.</summary>
    public TimeSpan BanDuration { get; init; } = TimeSpan.FromMinutes(10);
}
