using System.Runtime.InteropServices;

namespace PressMcp;

/// <summary>
/// Bounds glibc's malloc arenas to one per core, before the server starts its threads. glibc gives a thread that finds
/// the arenas busy a new one, up to eight per core, and each keeps the memory it has freed: SQLite allocates its page
/// caches and statements through malloc on whichever pool thread opens a connection, so under search load the server
/// held about 55 MB in arenas for SQLite's 24.5 MB of heap. Two arenas on this two-core machine peaked 36 MB lower on
/// average (served, posts-search cases, base build with MALLOC_ARENA_MAX=2 alternated with none: docs/performance.md,
/// "Memory, session 16"). Set here rather than in the deploy unit so every way of running the server gets it; an
/// operator's own MALLOC_ARENA_MAX wins. Not glibc (musl, Windows, macOS): nothing to do.
/// </summary>
internal static class MallocArenas
{
    /// <summary>glibc's mallopt parameter for the most arenas (malloc.h).</summary>
    private const int ArenaMax = -8;

    public static void Bound()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is { Length: > 0 }) return;
        try
        {
            // mallopt answers 1 when it took the setting; a libc without the parameter answers 0, and that is fine too.
            _ = Mallopt(ArenaMax, Math.Clamp(Environment.ProcessorCount, 2, 8));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (Alpine's musl has no libc.so.6): its allocator has no arenas to bound.
        }
    }

    // DllImport, not LibraryImport: two ints need no marshalling, and LibraryImport would need unsafe code in the project.
    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Mallopt(int parameter, int value);
}
