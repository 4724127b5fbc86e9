using Mgr.Node.Storage;

namespace Mgr.Node.Tests.Storage;

public sealed class InMemoryKeyValueStoreTests : KeyValueStoreContractTests
{
    protected override IKeyValueStore CreateStore() => new InMemoryKeyValueStore();
}
