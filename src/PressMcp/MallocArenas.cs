using System.Runtime.InteropServices;

namespace PressMcp;

/// <summary>
/// Bounds glibc's malloc arenas to one per core. glibc gives each new thread that allocates an arena of its own, up to
/// eight per core, and each keeps the memory it has freed: SQLite allocates its page caches and statements through
/// malloc on whichever pool thread opens a connection, so under search load the server held 15-19 arena heaps (about
/// 55 MB for SQLite's 24.5 MB of heap). Set here, the bound stops the arenas at about eight on this two-core machine:
/// the runtime's own threads have made those before Main runs. <c>MALLOC_ARENA_MAX</c> in the environment bounds them
/// from the first allocation (one arena besides the main one with 2), so the deploy unit and the image set it too, and
/// an operator's own value wins here. Measured: docs/performance.md, Memory. Not glibc (musl, Windows,
/// macOS): nothing to do.
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

    // DllImport: two ints need no marshalling, so there is nothing for LibraryImport's generated code to do.
    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Mallopt(int parameter, int value);
}
