using Mgr.Node.Storage.RocksDb;

namespace Mgr.Node.Tests.Storage.RocksDb;

public sealed class MallocSettingsTests
{
    [Fact]
    public void Glibc_accepts_both_settings_the_operator_did_not_set()
    {
        int operatorSet = new[] { "MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_" }.Count(name => Environment.GetEnvironmentVariable(name) is not null);

        int applied = MallocSettings.Apply();

        Assert.Equal(OperatingSystem.IsLinux() ? 2 - operatorSet : 0, applied);
    }
}
