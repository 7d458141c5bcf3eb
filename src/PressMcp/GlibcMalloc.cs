using System.Runtime.InteropServices;

namespace PressMcp;

/// <summary>
/// glibc's malloc, set at <c>Main</c> (<c>mallopt</c>); each setting is skipped when the operator's environment sets it,
/// and none applies off glibc (musl, Windows, macOS). Measured: docs/performance.md, Memory.
/// <list type="bullet">
/// <item>The arenas bounded to one per core. glibc gives each new thread that allocates an arena of its own, up to eight
/// per core, and each keeps the memory it has freed: SQLite allocates its page caches and statements through malloc on
/// whichever pool thread opens a connection, so under search load the server held 15-19 arena heaps (about 55 MB for
/// SQLite's 24.5 MB of heap). Set here, the bound stops the arenas at about eight on this two-core machine: the
/// runtime's own threads have made those before Main runs. <c>MALLOC_ARENA_MAX</c> in the environment bounds them from
/// the first allocation (one arena besides the main one with 2), so the deploy unit and the image set it too.</item>
/// <item>Blocks of 128 KiB and more always mapped on their own (<see cref="MmapThreshold"/>), and a heap's free top
/// returned past 128 KiB (<see cref="TrimThreshold"/>). glibc's default threshold is dynamic: each mapped block freed
/// raises it to that block's size (up to 32 MiB), so after FTS5's large read buffers (a frequent word's list) had come and
/// gone, the same sizes were carved from the heaps, and their holes between live blocks stayed: 17-23 MB of free chunks
/// kept at the mix's peak, most of them over 128 KiB. Setting either value turns the dynamic threshold off.</item>
/// </list>
/// </summary>
internal static class GlibcMalloc
{
    /// <summary>mallopt's parameters (malloc.h).</summary>
    private const int TrimThresholdParameter = -1, MmapThresholdParameter = -3, ArenaMaxParameter = -8;

    /// <summary>glibc's own default, made fixed: a block this large or larger is mapped, and unmapped when freed.</summary>
    public const int MmapThreshold = 128 * 1024;

    /// <summary>glibc's own default, made fixed: a heap's free top larger than this is returned to the system.</summary>
    public const int TrimThreshold = 128 * 1024;

    public static void Configure()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            // mallopt answers 1 when it took the setting; a libc without the parameter answers 0, and that is fine too.
            if (!SetByOperator("MALLOC_ARENA_MAX", "arena_max")) _ = Mallopt(ArenaMaxParameter, Math.Clamp(Environment.ProcessorCount, 2, 8));
            if (!SetByOperator("MALLOC_MMAP_THRESHOLD_", "mmap_threshold")) _ = Mallopt(MmapThresholdParameter, MmapThreshold);
            if (!SetByOperator("MALLOC_TRIM_THRESHOLD_", "trim_threshold")) _ = Mallopt(TrimThresholdParameter, TrimThreshold);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (Alpine's musl has no libc.so.6): nothing to set.
        }
    }

    /// <summary>Whether the operator set it: by its environment variable, or in GLIBC_TUNABLES as glibc.malloc.<paramref name="tunable"/>.</summary>
    private static bool SetByOperator(string variable, string tunable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 }
        || Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is { } tunables && tunables.Contains("glibc.malloc." + tunable + "=", StringComparison.Ordinal);

    // DllImport: two ints need no marshalling, so there is nothing for LibraryImport's generated code to do.
    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Mallopt(int parameter, int value);
}
