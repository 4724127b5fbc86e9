using System.Runtime.InteropServices;

namespace Mgr.Node.Storage.RocksDb;

/// <summary>Caps glibc malloc's arenas for the process. RocksDB allocates its block cache and memtables with malloc from
/// many threads; glibc gives each contending thread its own arena (up to 8 per core), and memory freed in one stays
/// resident there, so the process held ~190 MiB more than RocksDB's caps at 1,000,000 accounts (docs/limits.md §2).</summary>
/// <remarks>Call first thing in <c>Main</c>: threads keep the arena they were given. A <c>MALLOC_ARENA_MAX</c> set by the
/// operator wins; on a C library other than glibc this does nothing.</remarks>
internal static partial class MallocArenas
{
    /// <summary>Arenas glibc may create (its default is 8 per core).</summary>
    public const int Max = 2;

    private const int ArenaMaxParameter = -8; // M_ARENA_MAX in malloc.h

    /// <summary>Applies <see cref="Max"/>; true when glibc accepted it.</summary>
    public static bool Limit()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null) return false;
        try
        {
            return Mallopt(ArenaMaxParameter, Max) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}
