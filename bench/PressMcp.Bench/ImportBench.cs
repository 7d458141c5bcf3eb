using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PressMcp.Import;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Bench;

/// <summary>
/// WXR import: (1) the real theme unit test export, several times into fresh sites, median wall time;
/// (2) a generated 100,000-post export (the benchmark demo site exported once) imported by a child process
/// of this program, so its peak memory is the import's alone: throughput and peak working set.
/// </summary>
internal static class ImportBench
{
    public static async Task RunAsync(string dataDir, int posts, int runs)
    {
        var theme = FindThemeUnitTestData();
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var dir = Path.Combine(dataDir, $"import-run-{Guid.NewGuid():N}");
            try
            {
                await using var env = await BenchEnvironment.OpenAsync(dir);
                var site = await env.CreateSiteAsync("theme");
                await using var scope = env.Scope();
                var watch = Stopwatch.StartNew();
                var report = await scope.ServiceProvider.GetRequiredService<WxrImporter>().ImportAsync(site, theme);
                watch.Stop();
                if (!report.Succeeded) throw new InvalidOperationException(report.Problem!.Message);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            finally
            {
                Cleanup(dir);
            }
        }
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| import themeunittestdata.wordpress.xml (in process, fresh site) | {runs} runs | median {times[times.Count / 2]:F0} ms | min {times[0]:F0} ms | max {times[^1]:F0} ms |"));

        var file = await EnsureLargeExportAsync(dataDir, posts);
        var child = Path.Combine(dataDir, $"import-large-{Guid.NewGuid():N}");
        try
        {
            var psi = new ProcessStartInfo(Environment.ProcessPath!, [typeof(ImportBench).Assembly.Location, "import-child", "--data", child, "--file", file])
            {
                RedirectStandardOutput = true,
            };
            if (Environment.ProcessPath!.EndsWith("PressMcp.Bench", StringComparison.Ordinal)) psi.ArgumentList.RemoveAt(0);
            using var process = Process.Start(psi)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Console.Write(output);
        }
        finally
        {
            Cleanup(child);
        }
    }

    /// <summary>Runs in the child process: one import of the large file into a fresh site; prints time and peak memory.</summary>
    public static async Task ChildAsync(string dataDir, string file)
    {
        await using var env = await BenchEnvironment.OpenAsync(dataDir);
        var site = await env.CreateSiteAsync("large");
        await using var scope = env.Scope();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var report = await scope.ServiceProvider.GetRequiredService<WxrImporter>().ImportAsync(site, file);
        watch.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        if (!report.Succeeded) throw new InvalidOperationException(report.Problem!.Message);
        // Where the time went; "insert …" phases are parts of "posts" and "comments", and pass 1's row writing part of pass 1.
        foreach (var (phase, wall) in report.Value!.Phases.All)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"|   {phase} | {wall.TotalSeconds:F2} s |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"|   (process CPU {cpu.TotalSeconds:F1} s; write lock held {report.Value.WriteLockHeld.TotalSeconds:F1} s in {report.Value.Transactions} transactions, the longest {report.Value.LongestWriteLockHold.TotalSeconds:F2} s; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}) | |"));
        // The import's peak, before the count below reads the new rows again through the connection's memory map.
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var count = await db.Posts.CountAsync(p => p.SiteId == site.Id && p.Type == "post");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| import generated WXR ({new FileInfo(file).Length / (1024.0 * 1024.0):F0} MB, {count:N0} posts, child process) | {watch.Elapsed.TotalSeconds:F1} s | {count / watch.Elapsed.TotalSeconds:N0} posts/s | peak working set {peak:F0} MB |"));
    }

    private static async Task<string> EnsureLargeExportAsync(string dataDir, int posts)
    {
        var file = Path.GetFullPath(Path.Combine(dataDir, $"bench-{posts}.wxr"));
        if (File.Exists(file)) return file;
        await using var env = await BenchEnvironment.OpenAsync(dataDir);
        var siteId = await env.EnsureDemoSiteAsync(posts);
        await using var scope = env.Scope();
        var site = await scope.ServiceProvider.GetRequiredService<PressDbContext>().Sites.SingleAsync(s => s.Id == siteId);
        var tmp = file + ".tmp";
        await using (var output = File.Create(tmp))
            await scope.ServiceProvider.GetRequiredService<WxrExporter>().ExportAsync(site, output);
        File.Move(tmp, file);
        return file;
    }

    private static string FindThemeUnitTestData()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "data", "wxr", "themeunittestdata.wordpress.xml");
            if (File.Exists(Path.Combine(dir.FullName, "PressMcp.slnx")) && File.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        throw new FileNotFoundException("../shared/data/wxr/themeunittestdata.wordpress.xml not found beside the repository");
    }

    private static void Cleanup(string dir)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
