namespace Mgr.Trie.Genesis;

/// <summary>The <c>config</c> object of a geth-style genesis file: the chain id and the fork schedule.</summary>
/// <remarks>Every config property whose name ends in <c>Block</c> (e.g. <c>londonBlock</c>) is a block-number
/// fork and every one ending in <c>Time</c> (e.g. <c>cancunTime</c>) a timestamp fork, as in geth; a null or
/// absent entry means the fork is not scheduled. The timestamp forks count only once London is active.</remarks>
public sealed record ChainConfig(ulong ChainId, IReadOnlyDictionary<string, ulong> ForkBlocks, IReadOnlyDictionary<string, ulong> ForkTimes)
{
    /// <summary>True when EIP-1559 (London) is active at block <paramref name="number"/>.</summary>
    public bool IsLondon(ulong number) => ForkBlocks.TryGetValue("londonBlock", out ulong block) && block <= number;

    /// <summary>True when Shanghai is active at this block and time.</summary>
    public bool IsShanghai(ulong number, ulong timestamp) => IsTimeFork("shanghaiTime", number, timestamp);

    /// <summary>True when Cancun is active at this block and time.</summary>
    public bool IsCancun(ulong number, ulong timestamp) => IsTimeFork("cancunTime", number, timestamp);

    /// <summary>True when Prague is active at this block and time.</summary>
    public bool IsPrague(ulong number, ulong timestamp) => IsTimeFork("pragueTime", number, timestamp);

    private bool IsTimeFork(string name, ulong number, ulong timestamp) =>
        IsLondon(number) && ForkTimes.TryGetValue(name, out ulong time) && time <= timestamp;
}
