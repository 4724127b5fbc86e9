using Mgr.Node.Storage.RocksDb;

namespace Mgr.Node.Tests.Storage.RocksDb;

public sealed class MallocArenasTests
{
    [Fact]
    public void Glibc_accepts_the_arena_cap_unless_the_operator_set_one()
    {
        bool operatorSet = Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null;

        bool applied = MallocArenas.Limit();

        Assert.Equal(OperatingSystem.IsLinux() && !operatorSet, applied);
    }
}
