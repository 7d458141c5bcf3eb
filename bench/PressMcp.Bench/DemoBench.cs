using System.Diagnostics;
using PressMcp.Demo;

namespace PressMcp.Bench;

/// <summary>Time and peak memory of `pressmcp demo --posts N` into a fresh data directory, in process.</summary>
internal static class DemoBench
{
    public static async Task RunAsync(string dataDir, int posts)
    {
        var dir = Path.Combine(dataDir, $"demo-run-{Guid.NewGuid():N}");
        try
        {
            await using var env = await BenchEnvironment.OpenAsync(dir);
            await using var scope = env.Scope();
            var watch = Stopwatch.StartNew();
            var result = await scope.ServiceProvider.GetRequiredService<DemoGenerator>().GenerateAsync(new DemoOptions("demo", posts, 1));
            watch.Stop();
            if (!result.Succeeded) throw new InvalidOperationException(result.Problem!.Message);
            var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
            Console.WriteLine($"| demo --posts {posts:N0} ({env.Describe()}) | {watch.Elapsed.TotalSeconds:F1} s | {posts / watch.Elapsed.TotalSeconds:N0} posts/s | peak working set {peak:F0} MB |");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
