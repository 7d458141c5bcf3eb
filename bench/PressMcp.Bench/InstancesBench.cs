using System.Diagnostics;
using System.Globalization;
using System.Net;
using PressMcp.Demo;
using PressMcp.Storage;
using PressMcp.Tests.Instances;

namespace PressMcp.Bench;

/// <summary>
/// MCP calls through nginx (the shipped deploy/nginx/pressmcp.conf, rewritten for loopback as the instances test does)
/// in front of two server processes on one PostgreSQL database, against the same nginx in front of one of them, in
/// the same run and alternated case by case. Both instances, nginx, PostgreSQL and the load client share the machine's
/// cores: on two cores a second instance cannot add CPU, so this measures what the second hop and the balancing cost
/// and whether throughput holds, not how it would scale on more machines. Needs PRESSMCP_DATABASE=postgres,
/// PRESSMCP_CONNECTION_STRING and nginx.
/// </summary>
internal static class InstancesBench
{
    public static async Task RunAsync(string dataDir, int posts, TimeSpan duration, TimeSpan warmUp, int concurrency)
    {
        var nginx = NginxSite.Executable ?? throw new InvalidOperationException("nginx is not installed (apt-get install nginx)");
        string slug;
        StorageSettings storage;
        await using (var env = await BenchEnvironment.OpenAsync(dataDir))
        {
            if (env.Storage.Provider != DatabaseProvider.Postgres) throw new InvalidOperationException("mcp-instances needs PRESSMCP_DATABASE=postgres and PRESSMCP_CONNECTION_STRING");
            var siteId = await env.EnsureDemoSiteAsync(posts);
            slug = await McpBench.PrepareAgentAsync(env, siteId);
            storage = env.Storage;
        }

        int[] ports = [McpBench.FreePort(), McpBench.FreePort()];
        int frontTwo = McpBench.FreePort(), frontOne = McpBench.FreePort();
        var publicUrl = $"http://127.0.0.1:{frontTwo}";
        var servers = new List<Process>();
        NginxSite? two = null, one = null;
        try
        {
            foreach (var port in ports)
            {
                servers.Add(StartServer(storage, port, publicUrl));
                await WaitAsync($"http://127.0.0.1:{port}/readyz");
            }
            two = await NginxSite.StartAsync(nginx, frontTwo, ports);
            one = await NginxSite.StartAsync(nginx, frontOne, [ports[0]]);
            var token = await McpBench.ConnectAsync(two.BaseUrl);
            var vocabulary = new DemoText(BenchEnvironment.SiteSeed).VocabularyByFrequency();
            var cases = new (string Name, string Tool, Func<Random, object> Arguments)[]
            {
                ("trivial read tool (wpcom-mcp-user-profile)", "wpcom-mcp-user-profile", _ => new { }),
                ($"wpcom-mcp-posts-search, one word, {posts:N0} posts", "wpcom-mcp-posts-search", r => new { wpcom_site = slug, search = vocabulary[r.Next(100, Math.Min(3000, vocabulary.Count))], per_page = 10 }),
            };
            Console.WriteLine($"MCP through nginx over loopback HTTP/1.1 on PostgreSQL, concurrency {concurrency}, {duration.TotalSeconds:0} s per run after {warmUp.TotalSeconds:0} s warm-up; " +
                $"{Environment.ProcessorCount} cores shared by the instances, nginx, PostgreSQL and this client.");
            Console.WriteLine("| case | behind nginx | calls/s | median ms | p99 ms | load |");
            Console.WriteLine("|---|---|---|---|---|---|");
            foreach (var (name, tool, arguments) in cases)
                foreach (var (label, front) in new[] { ("two instances", two), ("one instance", one) })
                {
                    using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseCookies = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
                    {
                        BaseAddress = new Uri(front.BaseUrl), DefaultRequestVersion = HttpVersion.Version11,
                    };
                    await McpBench.CallAsync(client, token, tool, arguments(new Random(1)));
                    var r = await McpBench.LoadAsync(client, concurrency, warmUp, duration, rnd => McpBench.Request("/wpcom/v2/mcp/v1", token, tool, arguments(rnd)));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {label} | {r.PerSecond:N0} | {r.Median:F2} | {r.P99:F2} | {McpBench.LoadAverage()} |"));
                }
        }
        finally
        {
            if (two is not null) await two.DisposeAsync();
            if (one is not null) await one.DisposeAsync();
            foreach (var p in servers)
            {
                try { p.Kill(); } catch (InvalidOperationException) { }
                p.Dispose();
            }
        }
    }

    /// <summary>The built server next to this benchmark (the project reference copies it), as its own process.</summary>
    private static Process StartServer(StorageSettings storage, int port, string publicUrl)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "pressmcp")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["serve", "--data", Path.Combine(storage.DataDirectory, $"instance-{port}"), "--database", "postgres", "--connection-string", storage.ConnectionString,
                     "--urls", $"http://127.0.0.1:{port}", "--public-url", publicUrl, "--trusted-proxy", "127.0.0.1"])
            info.ArgumentList.Add(a);
        // The request log would write a line per call; the single-instance bench runs without it too.
        info.Environment["Logging__LogLevel__PressMcp.Web.RequestLog"] = "Warning";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start pressmcp");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[{port}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < until)
        {
            try
            {
                if ((await http.GetAsync(url)).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{url} did not answer within 3 minutes");
    }
}
