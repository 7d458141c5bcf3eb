using System.Runtime.InteropServices;

namespace PressMcp;

/// <summary>
/// Gives the pages of glibc's free malloc chunks back to the system every <see cref="Interval"/> (<c>malloc_trim(0)</c>).
/// glibc keeps what native code frees inside its arenas for reuse and returns only the free top of a heap: under search
/// load the server's arenas held 47 MB for 21 MB in use (SQLite's own heap 9 MB, the runtime's and the JIT's the rest),
/// 26 MB of it free chunks left by bursts (the JIT's work while code tiers up, statements and caches of connections that
/// came and went). Trimming releases the free chunks' whole pages in every arena (one call: 14 MB of 125 MB anonymous,
/// docs/performance.md, Memory); what is reused later faults back in page by page. A call walks the arenas' free lists,
/// well under a millisecond for this size. Not glibc (musl, Windows, macOS): the first call finds no entry point and the
/// service stops.
/// </summary>
internal sealed class MallocTrimmer(TimeProvider clock, Func<bool> trim) : BackgroundService
{
    /// <summary>Often enough that a burst's free memory does not outlive the next requests by much; rare enough to cost nothing.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                if (!trim()) return;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>glibc's <c>malloc_trim(0)</c>; false where there is no such function (not glibc), so there is nothing to do.</summary>
    public static bool TrimGlibc()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            // Its answer (1: memory was released, 0: none was) does not matter: either way the next tick tries again.
            _ = MallocTrim(0);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // DllImport: a size_t in and an int out need no marshalling, so there is nothing for LibraryImport's generated code to do.
    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);
}
