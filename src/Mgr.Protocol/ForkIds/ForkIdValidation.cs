namespace Mgr.Protocol.ForkIds;

/// <summary>Outcome of checking a remote fork id against the local chain (EIP-2124 rules 1–4).</summary>
public enum ForkIdValidation
{
    /// <summary>Compatible as far as can be told now.</summary>
    Accept,
    /// <summary>The remote is on an older fork set and does not know the fork that followed it (needs an update).</summary>
    RemoteStale,
    /// <summary>Different chain, or the local node is stale.</summary>
    LocalIncompatibleOrStale,
}
