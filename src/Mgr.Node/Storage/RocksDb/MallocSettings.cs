using System.Runtime.InteropServices;

namespace Mgr.Node.Storage.RocksDb;

/// <summary>Tunes glibc malloc for RocksDB, which allocates its block cache, memtables and file buffers with malloc from
/// many threads. By default glibc gives each contending thread its own arena (up to 8 per core) and raises its mmap
/// threshold as large blocks are freed, so later large blocks come from the arenas too; memory freed there stays
/// resident. At 1,000,000 accounts that kept 100–190 MiB beyond RocksDB's caps (docs/limits.md §2).</summary>
/// <remarks>Call first thing in <c>Main</c>: threads keep the arena they were given. A <c>MALLOC_ARENA_MAX</c> or
/// <c>MALLOC_MMAP_THRESHOLD_</c> set by the operator wins; on a C library other than glibc this does nothing.</remarks>
internal static partial class MallocSettings
{
    /// <summary>Arenas glibc may create.</summary>
    public const int MaxArenas = 2;

    /// <summary>Blocks this large or larger are mmapped and unmapped when freed (a fixed threshold: glibc's default
    /// starts at 128 KiB and grows up to 32 MiB).</summary>
    public const int MmapThresholdBytes = 1 << 20;

    private const int ArenaMaxParameter = -8; // M_ARENA_MAX in malloc.h
    private const int MmapThresholdParameter = -3; // M_MMAP_THRESHOLD

    /// <summary>Applies both settings (each unless the operator set it); the number glibc accepted.</summary>
    public static int Apply()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        try
        {
            return Set("MALLOC_ARENA_MAX", ArenaMaxParameter, MaxArenas) + Set("MALLOC_MMAP_THRESHOLD_", MmapThresholdParameter, MmapThresholdBytes);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 0;
        }
    }

    private static int Set(string environmentVariable, int parameter, int value) =>
        Environment.GetEnvironmentVariable(environmentVariable) is null && Mallopt(parameter, value) == 1 ? 1 : 0;

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}
