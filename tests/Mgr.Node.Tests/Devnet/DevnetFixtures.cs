using Mgr.Node.Devnet;
using Mgr.Node.Storage;

namespace Mgr.Node.Tests.Devnet;

/// <summary>Small devnets for tests, and a temporary directory that cleans up after itself.</summary>
internal static class DevnetFixtures
{
    public static DevnetParameters Small(ulong seed = 5) => new()
    {
        Accounts = 300, Contracts = 6, MaxSlots = 400, Seed = seed, OperationsPerBlock = 32, EpochLength = 8,
    };

    public static DevnetChain SmallChain(InMemoryKeyValueStore store, TemporaryDirectory temp, ulong seed = 5) =>
        DevnetChain.Create(store, Small(seed), temp.Path);
}
