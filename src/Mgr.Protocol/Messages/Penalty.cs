namespace Mgr.Protocol.Messages;

/// <summary>How much a violation costs a peer (spec/mgr-protocol.md §7).</summary>
public enum Penalty
{
    /// <summary>Plausibly honest (late, busy): a small score.</summary>
    Minor,
    /// <summary>Provably wrong data: a large score; repeat offenders are banned.</summary>
    Serious,
    /// <summary>The stream cannot be trusted any more: disconnect at once and ban.</summary>
    Fatal,
}
