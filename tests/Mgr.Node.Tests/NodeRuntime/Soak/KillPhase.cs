namespace Mgr.Node.Tests.NodeRuntime.Soak;

/// <summary>Where a syncing leecher stands, as its <c>/api/status</c> shows it, in the order a sync goes through them.</summary>
internal enum KillPhase
{
    /// <summary>No epoch taken up yet: starting, downloading headers, waiting for the pipeline to hand an epoch over.</summary>
    Headers,

    /// <summary>An epoch taken up and account chunks still missing.</summary>
    Ride,

    /// <summary>Every account chunk held; external storage or code still missing.</summary>
    Heal,

    /// <summary>Everything held, not reported synced yet: the root is being rebuilt from the store.</summary>
    Verify,

    /// <summary>Reported synced (verified, seeding, following the chain).</summary>
    Synced,
}
