namespace Mgr.Protocol.Messages;

/// <summary>The normative mapping from <see cref="ViolationReason"/> to <see cref="Penalty"/> and, for fatal
/// ones, the <see cref="DisconnectReason"/> to send (spec/mgr-protocol.md §7).</summary>
public static class PenaltyTable
{
    /// <summary>Penalty class of a violation.</summary>
    public static Penalty For(ViolationReason reason) => reason switch
    {
        ViolationReason.InvalidProof or ViolationReason.InvalidChunkDiff or ViolationReason.WrongRootForEpoch
            or ViolationReason.InvalidStateDiff => Penalty.Serious,
        ViolationReason.UnsolicitedResponse or ViolationReason.AnnouncedButUnavailable or ViolationReason.TooManyRequests
            or ViolationReason.ResponseOverLimit or ViolationReason.Timeout => Penalty.Minor,
        _ => Penalty.Fatal,
    };

    /// <summary>Disconnect reason to send for a violation, or null when the peer stays connected.</summary>
    public static DisconnectReason? DisconnectFor(ViolationReason reason) =>
        For(reason) == Penalty.Fatal ? DisconnectReason.ProtocolBreach : null;
}
