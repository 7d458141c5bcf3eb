using System.Diagnostics;
using System.Globalization;
using System.Net;
using PressMcp.Cli;
using PressMcp.Content.Search;
using PressMcp.Web;

namespace PressMcp.Bench;

/// <summary>
/// <c>mcp-search</c>: wpcom-mcp-posts-search over loopback HTTP/1.1 for every query shape of <see cref="SearchShapes"/>,
/// with a real token, on the benchmark site, SQLite or PostgreSQL (<c>PRESSMCP_DATABASE</c>, as every bench). Each case
/// is warmed first; the process's peak working set is printed at the end.
/// </summary>
internal static partial class McpBench
{
    public static async Task SearchShapesAsync(string dataDir, int posts, TimeSpan duration, TimeSpan warmUp, int concurrency, string only)
    {
        await using var env = await BenchEnvironment.OpenAsync(dataDir);
        var siteId = await env.EnsureDemoSiteAsync(posts);
        var siteSlug = await PrepareAgentAsync(env, siteId);
        var url = $"http://127.0.0.1:{FreePort()}";
        var settings = ServeCommand.ReadSettings(env.Storage, url, null, [], out var error) ?? throw new InvalidOperationException(error);
        var app = await ServerHost.StartAsync(settings with { MinimumLogLevel = LogLevel.Warning }, TextWriter.Null, default);
        try
        {
            var token = await ConnectAsync(url);
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseCookies = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = new Uri(url), DefaultRequestVersion = HttpVersion.Version11,
            };
            const string tool = "wpcom-mcp-posts-search";
            Console.WriteLine($"posts-search over loopback HTTP/1.1, concurrency {concurrency}, {duration.TotalSeconds:0} s per case after {warmUp.TotalSeconds:0} s warm-up, {posts:N0}-post site ({env.Describe()}), an editor's token.");
            Console.WriteLine("CPU µs/call: the whole process's CPU time (server and load client) over the run divided by the calls.");
            Console.WriteLine("Cache hits: the searches (warm-up and timed) answered from the search-result cache.");
            Console.WriteLine("| case | calls/s | median ms | p99 ms | CPU µs/call | GC paused | load | cache hits |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            var cache = app.Services.GetRequiredService<SearchResultCache>();
            foreach (var (name, make) in SearchShapes.All().Where(c => only.Length == 0 || c.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
            {
                await CallAsync(client, token, tool, make(new Random(1)).Arguments(siteSlug));
                var before = cache.Counts;
                var r = await LoadAsync(client, concurrency, warmUp, duration, random => Request("/wpcom/v2/mcp/v1", token, tool, make(random).Arguments(siteSlug)));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {r.PerSecond:N0} | {r.Median:F2} | {r.P99:F2} | {r.CpuMicroseconds:F0} | {r.GcPause:P1} | {LoadAverage()} | {HitRate(before, cache.Counts)} |"));
            }
            Console.WriteLine($"Peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024} MB (server and load client).");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>The share of searches answered from the cache between two readings of its counts.</summary>
    internal static string HitRate((long Hits, long Misses) before, (long Hits, long Misses) after)
    {
        var (hits, misses) = (after.Hits - before.Hits, after.Misses - before.Misses);
        return hits + misses == 0 ? "-" : (hits / (double)(hits + misses)).ToString("P0", CultureInfo.InvariantCulture);
    }
}
