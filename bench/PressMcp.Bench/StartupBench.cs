using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace PressMcp.Bench;

/// <summary>
/// The built server as its own process (<c>pressmcp serve</c>, the <c>pressmcp</c> apphost beside the bench), so the
/// figures are the server's alone: time from launch to the first <c>/healthz</c> 200 and to the first answered MCP call
/// (a token from an earlier launch), then peak resident memory (the kernel's VmHWM of that process) after load from
/// this process: the trivial tool and posts-search on the 100,000-post site, at the given concurrency.
/// </summary>
internal static class StartupBench
{
    public static async Task RunAsync(string dataDir, int posts, TimeSpan duration, TimeSpan warmUp, int concurrency, int launches)
    {
        string slug;
        await using (var env = await BenchEnvironment.OpenAsync(dataDir))
            slug = await McpBench.PrepareAgentAsync(env, await env.EnsureDemoSiteAsync(posts));
        var port = McpBench.FreePort();
        var url = $"http://127.0.0.1:{port}";
        string token;
        using (var first = await LaunchAsync(dataDir, url))
        {
            token = await McpBench.ConnectAsync(url);
            Stop(first.Process);
        }
        Console.WriteLine($"Server process: {ServerPath()} serve, {posts:N0}-post site, load from the bench process over loopback HTTP/1.1 (load average {McpBench.LoadAverage()}).");
        Console.WriteLine("| launch | to /healthz 200 ms | to first MCP answer ms | RSS after start MB |");
        Console.WriteLine("|---|---|---|---|");
        Launched? last = null;
        for (var i = 1; i <= launches; i++)
        {
            last?.Process.Dispose();
            var launched = await LaunchAsync(dataDir, url);
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            var answered = await UntilAsync(async () => (await client.SendAsync(McpBench.Request("/wpcom/v2/mcp/v1", token, "wpcom-mcp-user-profile", new { }))).StatusCode == HttpStatusCode.OK);
            var mcpMs = Stopwatch.GetElapsedTime(launched.Started, answered).TotalMilliseconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {i} | {launched.HealthyMs:F0} | {mcpMs:F0} | {Memory(launched.Process.Id, "VmRSS:") / 1024.0:F0} |"));
            if (i < launches) Stop(launched.Process);
            last = launched;
        }
        try
        {
            using var load = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseCookies = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = new Uri(url), DefaultRequestVersion = HttpVersion.Version11,
            };
            var vocabulary = new PressMcp.Demo.DemoText(7).VocabularyByFrequency();
            var trivial = await McpBench.LoadAsync(load, concurrency, warmUp, duration, _ => McpBench.Request("/wpcom/v2/mcp/v1", token, "wpcom-mcp-user-profile", new { }));
            var search = await McpBench.LoadAsync(load, concurrency, warmUp, duration, r => McpBench.Request("/wpcom/v2/mcp/v1", token, "wpcom-mcp-posts-search",
                new { wpcom_site = slug, search = vocabulary[r.Next(0, vocabulary.Count)], per_page = 10 }));
            var pid = last!.Process.Id;
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Under load (concurrency {concurrency}, {duration.TotalSeconds:0} s per case after {warmUp.TotalSeconds:0} s): trivial {trivial.PerSecond:N0} calls/s, posts-search (words from the whole vocabulary) {search.PerSecond:N0} calls/s; server peak RSS (VmHWM) {Memory(pid, "VmHWM:") / 1024.0:F0} MB, RSS now {Memory(pid, "VmRSS:") / 1024.0:F0} MB (load average {McpBench.LoadAverage()})."));
        }
        finally
        {
            Stop(last!.Process);
            last.Process.Dispose();
        }
    }

    private sealed record Launched(Process Process, long Started, double HealthyMs) : IDisposable
    {
        public void Dispose() => Process.Dispose();
    }

    /// <summary>The server apphost the bench's build copies beside itself.</summary>
    private static string ServerPath() => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "pressmcp.exe" : "pressmcp");

    private static async Task<Launched> LaunchAsync(string dataDir, string url)
    {
        var start = new ProcessStartInfo(ServerPath())
        {
            ArgumentList = { "serve", "--data", Path.GetFullPath(dataDir), "--urls", url, "--log-level", "Warning" },
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException("the server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(2) };
        var healthy = await UntilAsync(async () => (await probe.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK, process);
        return new Launched(process, started, Stopwatch.GetElapsedTime(started, healthy).TotalMilliseconds);
    }

    /// <summary>Polls every 5 ms (bounded: 60 s) and returns the timestamp of the first success.</summary>
    private static async Task<long> UntilAsync(Func<Task<bool>> probe, Process? process = null)
    {
        var limit = Stopwatch.StartNew();
        while (limit.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process is { HasExited: true }) throw new InvalidOperationException($"the server exited with {process.ExitCode}");
            try
            {
                if (await probe()) return Stopwatch.GetTimestamp();
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(5);
        }
        throw new TimeoutException("the server did not answer within 60 s");
    }

    /// <summary>A line of /proc/PID/status in kB (VmRSS: now, VmHWM: peak).</summary>
    private static long Memory(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static void Stop(Process process)
    {
        if (process.HasExited) return;
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }
}
