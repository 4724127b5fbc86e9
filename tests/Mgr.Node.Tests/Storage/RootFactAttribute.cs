namespace Mgr.Node.Tests.Storage;

/// <summary>A fact that needs root (to mount a tmpfs or set the immutable attribute); skipped, with that reason,
/// when the tests run unprivileged. As root, a missing capability makes the test fail, not skip.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess) Skip = "needs root: it mounts a small tmpfs or sets chattr +i to make a disk full or read-only";
    }
}
