using System.Runtime.InteropServices;

namespace PressMcp.Storage.Sql;

/// <summary>
/// Turns off SQLite's bulk page-cache allocation: by default every page cache SQLite creates takes room for 20 pages
/// (about 88 KB) in one malloc on its first page and links every slot of it. Searches create one for each ephemeral
/// table their statements build, so under the served search load SQLite made about 2,250 such allocations a second (90 %
/// of the bytes malloc handed out; heaptrack, docs/performance.md, Memory), freed at once, while the connections' own
/// caches grow page by page between them: the runs freed that way are most of the free chunks glibc keeps. With no
/// bulk, a cache takes its pages one by one as it needs them, as it already does past its first 20.
/// Process-wide (<c>SQLITE_CONFIG_PAGECACHE</c> with no buffer and no pages), so it must run before SQLite initializes:
/// at <c>Main</c>. After that, or where the library cannot be loaded, SQLite refuses or nothing is done: the default stays.
/// </summary>
internal static class SqlitePageCacheBulk
{
    private const int ConfigPageCache = 7;

    public static void TurnOff()
    {
        // Linux only: there a variadic call's arguments travel as a fixed one's (not on Apple's arm64), and it is where this was measured.
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            // SQLITE_OK, or SQLITE_MISUSE once SQLite is initialized (then the default bulk stays: harmless).
            _ = Config(ConfigPageCache, IntPtr.Zero, 0, 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No SQLite library beside the server: nothing opens SQLite either.
        }
    }

    // sqlite3_config is variadic; on Linux (x64 System V, arm64 AAPCS64) a pointer and two ints are passed in the same
    // registers as a fixed signature's, which is what this declaration does.
    [DllImport("e_sqlite3", EntryPoint = "sqlite3_config")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories | DllImportSearchPath.AssemblyDirectory)]
    private static extern int Config(int option, IntPtr buffer, int pageSize, int pages);
}
