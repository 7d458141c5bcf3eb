using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace PressMcp.Bench;

/// <summary>
/// <c>served</c>: issue 16's figures as a client sees them, in one run. The built server runs as its own process
/// (<c>pressmcp serve</c>, the apphost the bench's build copies beside it) and so does a bare JSON-RPC endpoint
/// (<see cref="BareServer"/>, this bench's own executable); this process is only the load client. It reports:
/// start-up (launch to the first <c>/healthz</c> 200 and to the first answered MCP call), then per case calls/s,
/// median and p99 at the given concurrency, and the CPU each side spent per call (the server's from
/// <c>/proc/PID/stat</c>, the client's from its own clock), then the server's resident memory (peak and now, anonymous
/// and file-backed). PostgreSQL: the usual environment variables reach the server process too.
/// </summary>
internal static class ServedBench
{
    /// <summary>
    /// One pass per engine named in <paramref name="engines"/> (<c>sqlite</c>, <c>postgres</c>), each with servers of its
    /// own, then the cases both ran side by side; none named: one pass on the engine the usual environment variables
    /// choose (SQLite unless <c>PRESSMCP_DATABASE=postgres</c>). PostgreSQL without <c>PRESSMCP_CONNECTION_STRING</c> is a
    /// server this bench starts for the pass (<see cref="BenchPostgres"/>) and stops after it.
    /// </summary>
    public static async Task RunAsync(string dataDir, int posts, TimeSpan duration, TimeSpan warmUp, int concurrency, int launches, string only, string? serverPath,
        string? basePath = null, IReadOnlyList<string>? serverEnv = null, int rounds = 2, TimeSpan settle = default,
        IReadOnlyList<string>? engines = null, TimeSpan? postgresWarmUp = null)
    {
        if (engines is not { Count: > 0 })
        {
            await PassAsync(dataDir, posts, duration, warmUp, concurrency, launches, only, serverPath, basePath, serverEnv, rounds, settle);
            return;
        }
        var unknown = engines.Where(e => e is not ("sqlite" or "postgres")).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"--engines takes sqlite and postgres, not {string.Join(", ", unknown)}");
        var passes = new List<(string Engine, List<CaseFigures> Cases)>();
        foreach (var engine in engines.Distinct())
        {
            Console.WriteLine($"## {(engine == "sqlite" ? "SQLite" : "PostgreSQL")}");
            Console.WriteLine();
            await using var database = await BenchPostgres.UseAsync(engine, dataDir);
            passes.Add((engine, await PassAsync(dataDir, posts, duration, engine == "postgres" ? postgresWarmUp ?? warmUp : warmUp, concurrency, launches, only,
                serverPath, basePath, serverEnv, rounds, settle)));
            Console.WriteLine();
        }
        if (passes.Count == 2) PrintSideBySide(passes[0], passes[1]);
    }

    /// <summary>One case's figures in a pass, for the side-by-side table.</summary>
    internal sealed record CaseFigures(string Name, double PerSecond, double P99, double ServerCpu, double? DatabaseCpu);

    /// <summary>The cases both passes ran (the server's, not the bare endpoint's), each engine's figures on one line.</summary>
    private static void PrintSideBySide((string Engine, List<CaseFigures> Cases) first, (string Engine, List<CaseFigures> Cases) second)
    {
        static string Name(string engine) => engine == "sqlite" ? "SQLite" : "PostgreSQL";
        static string Figures(CaseFigures c) => string.Create(CultureInfo.InvariantCulture,
            $"{c.PerSecond:N0} | {c.P99:F1} | {c.ServerCpu:F0}{(c.DatabaseCpu is { } db ? $" + {db:F0}" : "")}");
        Console.WriteLine($"Side by side, each engine in its own pass above (calls/s | p99 ms | CPU µs a call: the server's, + PostgreSQL's when it runs on this machine):");
        Console.WriteLine($"| case | {Name(first.Engine)} calls/s | p99 ms | CPU µs a call | {Name(second.Engine)} calls/s | p99 ms | CPU µs a call |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var a in first.Cases)
            if (second.Cases.LastOrDefault(b => b.Name == a.Name) is { } b)
                Console.WriteLine($"| {a.Name} | {Figures(a)} | {Figures(b)} |");
    }

    private static async Task<List<CaseFigures>> PassAsync(string dataDir, int posts, TimeSpan duration, TimeSpan warmUp, int concurrency, int launches, string only,
        string? serverPath, string? basePath, IReadOnlyList<string>? serverEnv, int rounds, TimeSpan settle)
    {
        var figures = new List<CaseFigures>();
        string slug;
        string provider;
        await using (var env = await BenchEnvironment.OpenAsync(dataDir))
        {
            slug = await McpBench.PrepareAgentAsync(env, await env.EnsureDemoSiteAsync(posts));
            provider = env.Describe();
        }
        var url = $"http://127.0.0.1:{McpBench.FreePort()}";
        var serverExe = serverPath is { Length: > 0 } ? Path.GetFullPath(serverPath) : ServerPath();
        var baseExe = basePath is { Length: > 0 } ? Path.GetFullPath(basePath) : null;
        // Environment for the measured server only (a GC setting, say): the base build and the bare endpoint keep their defaults.
        var environment = (serverEnv ?? []).Select(e => e.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");
        string token;
        byte[] profileAnswer;
        using (var first = await ServerProcess.LaunchAsync(serverExe, ["serve", "--data", Path.GetFullPath(dataDir), "--urls", url, "--log-level", "Warning"], url))
        {
            token = await McpBench.ConnectAsync(url);
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            profileAnswer = await McpBench.CallAsync(client, token, "wpcom-mcp-user-profile", new { });
            first.Stop();
        }

        if (environment.Count > 0) Console.WriteLine($"Server environment: {string.Join(", ", environment.Select(kv => kv.Key + "=" + kv.Value))}.");
        if (baseExe is not null) Console.WriteLine($"Base build, alternated with it: {baseExe}.");
        Console.WriteLine($"served: {serverExe}; the server and a bare endpoint each in its own process, this process the load client; {posts:N0}-post site on {provider}, HTTP/1.1 over loopback, concurrency {concurrency}, {duration.TotalSeconds:0} s per case after {warmUp.TotalSeconds:0} s warm-up. Load average at the start: {McpBench.LoadAverage()}.");
        Console.WriteLine();
        Console.WriteLine("| launch | to /healthz 200 ms | its CPU ms | to first MCP answer ms | RSS after start MB |");
        Console.WriteLine("|---|---|---|---|---|");
        ServerProcess? server = null;
        for (var i = 1; i <= launches; i++)
        {
            server?.Dispose();
            server = await ServerProcess.LaunchAsync(serverExe, ["serve", "--data", Path.GetFullPath(dataDir), "--urls", url, "--log-level", "Warning"], url, environment);
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            var answered = await ServerProcess.UntilAsync(async () =>
                (await client.SendAsync(McpBench.Request("/wpcom/v2/mcp/v1", token, "wpcom-mcp-user-profile", new { }))).StatusCode == HttpStatusCode.OK);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {i} | {server.HealthyMs:F0} | {server.HealthyCpu.TotalMilliseconds:F0} | {Stopwatch.GetElapsedTime(server.Started, answered).TotalMilliseconds:F0} | {server.Memory("VmRSS:") / 1024.0:F0} |"));
            if (i < launches) server.Stop();
        }

        var bareUrl = $"http://127.0.0.1:{McpBench.FreePort()}";
        var answerFile = Path.GetTempFileName();
        await File.WriteAllBytesAsync(answerFile, profileAnswer);
        using var bare = await ServerProcess.LaunchAsync(Environment.ProcessPath!, [.. BenchArguments(), "bare-server", "--urls", bareUrl, "--answer", answerFile], bareUrl);
        var baseUrl = $"http://127.0.0.1:{McpBench.FreePort()}";
        using var baseServer = baseExe is null ? null
            // The first server's public URL, so the tokens it issued (for its resource URL) are valid here too.
            : await ServerProcess.LaunchAsync(baseExe, ["serve", "--data", Path.GetFullPath(dataDir), "--urls", baseUrl, "--public-url", url, "--log-level", "Warning"], baseUrl);
        try
        {
            using var serverClient = Client(url, concurrency);
            using var bareClient = Client(bareUrl, concurrency);
            using var baseClient = Client(baseUrl, concurrency);
            Console.WriteLine();
            // On PostgreSQL served from this machine, its processes' CPU too: the server's share of a call's cost is only part of it.
            var database = provider == "PostgreSQL" && LocalPostgres.CpuTime() is not null;
            Console.WriteLine("Server CPU µs/call: the server process's user and system time over the measured calls; client: this process's"
                + (database ? "; PostgreSQL: every postgres process on this machine (backends, background workers, and children that exited in the window)." : "."));
            Console.WriteLine("| case | process | calls/s | median ms | p99 ms | server CPU µs/call | client CPU µs/call |" + (database ? " PostgreSQL CPU µs/call |" : "") + " load |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|" + (database ? "---|" : ""));
            var cases = new List<(string Name, ServerProcess Process, HttpClient Client, Func<Random, HttpRequestMessage> Make)>
            {
                ("bare JSON-RPC endpoint", bare, bareClient, _ => McpBench.Request("/mcp", token, "wpcom-mcp-user-profile", new { })),
                ("trivial tool (wpcom-mcp-user-profile)", server!, serverClient, _ => McpBench.Request("/wpcom/v2/mcp/v1", token, "wpcom-mcp-user-profile", new { })),
            };
            if (baseServer is not null)
                cases.Add(("trivial tool, base build", baseServer, baseClient, _ => McpBench.Request("/wpcom/v2/mcp/v1", token, "wpcom-mcp-user-profile", new { })));
            // Bare and trivial (and the base build) in rounds, alternated, so their ratio is not one moment of the machine against another.
            var round = cases.ToList();
            for (var r = 1; r < rounds; r++) cases.AddRange(round);
            foreach (var (name, make) in SearchShapes.All())
                cases.Add(($"posts-search: {name}", server!, serverClient, r =>
                {
                    var shape = make(r);
                    var request = McpBench.Request("/wpcom/v2/mcp/v1", token, "wpcom-mcp-posts-search", shape.Arguments(slug));
                    if (shape.Kinds is { } kinds)
                    {
                        request.Options.Set(McpBench.KindsKey, kinds);
                        request.Options.Set(McpBench.QueryKey, shape.Described());
                    }
                    return request;
                }));
            // The bare endpoint is the trivial call's reference: asking for the trivial case runs it too.
            bool Selected(string name) => only.Length == 0 || name.Contains(only, StringComparison.OrdinalIgnoreCase)
                || (name.StartsWith("bare", StringComparison.Ordinal) && "trivial".Contains(only, StringComparison.OrdinalIgnoreCase));
            var byKind = new List<(string Name, McpBench.LoadResult Result)>();
            foreach (var (name, process, client, make) in cases.Where(c => Selected(c.Name)))
            {
                var settled = settle > TimeSpan.Zero ? await SettleAsync(process, client, concurrency, warmUp, settle, make) : (TimeSpan?)null;
                var cpu = process.CpuTime();
                var databaseCpu = TimeSpan.Zero;
                var result = await McpBench.LoadAsync(client, concurrency, settled is null ? warmUp : TimeSpan.Zero, duration, make, () =>
                {
                    cpu = process.CpuTime();
                    if (database) databaseCpu = LocalPostgres.CpuTime() ?? TimeSpan.Zero;
                });
                var serverCpu = (process.CpuTime() - cpu).TotalMicroseconds / result.Calls;
                double? databasePerCall = database ? ((LocalPostgres.CpuTime() ?? TimeSpan.Zero) - databaseCpu).TotalMicroseconds / result.Calls : null;
                var databaseColumn = databasePerCall is { } perCall ? string.Create(CultureInfo.InvariantCulture, $" {perCall:F0} |") : "";
                if (process == server) figures.Add(new CaseFigures(name, result.PerSecond, result.P99, serverCpu, databasePerCall));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name}{(settled is { } took ? $" (warmed {took.TotalSeconds:0} s)" : "")} | {(process == bare ? "bare" : process == baseServer ? "base" : "server")} | {result.PerSecond:N0} | {result.Median:F2} | {result.P99:F2} | {serverCpu:F0} | {result.CpuMicroseconds:F0} |{databaseColumn} {McpBench.LoadAverage()} |"));
                if (result.Tagged.Count > 0) byKind.Add((name, result));
            }
            foreach (var (name, result) in byKind) PrintByKind(name, result);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Server memory: peak RSS (VmHWM) {server!.Memory("VmHWM:") / 1024.0:F0} MB; now {server.Memory("VmRSS:") / 1024.0:F0} MB, of which anonymous {server.Memory("RssAnon:") / 1024.0:F0} MB and file-backed {server.Memory("RssFile:") / 1024.0:F0} MB (assemblies and native libraries: the database is read, not mapped) and shared {server.Memory("RssShmem:") / 1024.0:F0} MB (generated code, mapped twice under write-xor-execute). Load average at the end: {McpBench.LoadAverage()}."));
            if (baseServer is not null)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Base build's memory: peak RSS {baseServer.Memory("VmHWM:") / 1024.0:F0} MB; now {baseServer.Memory("VmRSS:") / 1024.0:F0} MB, anonymous {baseServer.Memory("RssAnon:") / 1024.0:F0} MB."));
        }
        finally
        {
            server?.Dispose();
            File.Delete(answerFile);
        }
        return figures;
    }

    private const int SlowestListed = 15;

    /// <summary>
    /// A tagged case's latencies by kind of query (each dimension's values in turn): how many calls, their median and p99,
    /// and what share of the calls slower than the whole case's p99 were of that kind. At 32 calls in flight on two cores a
    /// cheap call waits behind dear ones, so every kind has a tail; a kind whose p99 and share of the slowest calls stand
    /// above its share of the calls is what sets the case's p99.
    /// </summary>
    private static void PrintByKind(string name, McpBench.LoadResult result)
    {
        var p99 = result.P99;
        var slow = result.Tagged.Count(c => c.Ms > p99);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}, by kind of query ({result.Tagged.Count:N0} calls; {slow} slower than the case's p99 of {p99:F1} ms):"));
        Console.WriteLine("| kind | calls | share | median ms | p99 ms | share of the calls over the case's p99 |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var kinds = result.Tagged.SelectMany(c => c.Kinds.Select(k => (Kind: k, c.Ms)))
            .GroupBy(k => k.Kind, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var kind in kinds)
        {
            var sorted = kind.Select(k => k.Ms).Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {kind.Key} | {sorted.Length:N0} | {100.0 * sorted.Length / result.Tagged.Count:F1} % | {McpBench.Percentile(sorted, 0.5):F2} | {McpBench.Percentile(sorted, 0.99):F2} | {(slow == 0 ? 0 : 100.0 * sorted.Count(ms => ms > p99) / slow):F1} % |"));
        }
        Console.WriteLine();
        Console.WriteLine("The slowest calls:");
        Console.WriteLine("| ms | second | query |");
        Console.WriteLine("|---|---|---|");
        foreach (var call in result.Tagged.OrderByDescending(c => c.Ms).Take(SlowestListed))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {call.Ms:F1} | {call.Second} | {call.Query} |"));
        // The same calls second by second: a tail spread over every kind may come from moments (a collection, the
        // background reading a word's list) rather than from kinds of query.
        Console.WriteLine();
        Console.WriteLine("| second | calls | median ms | p99 ms | calls over the case's p99 |");
        Console.WriteLine("|---|---|---|---|---|");
        // Every second up to the last, so a second in which no call ended (a stall) shows, empty.
        var bySecond = result.Tagged.ToLookup(c => c.Second, c => c.Ms);
        for (var second = 1; second <= result.Tagged.Max(c => c.Second); second++)
        {
            var window = bySecond[second].Order().ToArray();
            Console.WriteLine(window.Length == 0 ? $"| {second} | 0 | | | |" : string.Create(CultureInfo.InvariantCulture,
                $"| {second} | {window.Length:N0} | {McpBench.Percentile(window, 0.5):F2} | {McpBench.Percentile(window, 0.99):F2} | {window.Count(ms => ms > p99)} |"));
        }
    }

    /// <summary>
    /// Warms a case for <paramref name="warmUp"/>, then in 5 s windows until the server's CPU a call in a window is within
    /// 10 % of the window before, at most <paramref name="settle"/> more: a fresh server reads its search lists in the
    /// background, and on PostgreSQL that takes longer than a fixed warm-up (about 15 s of the database's CPU for the
    /// frequent-word pool), so the timed calls would measure the reads. Returns the whole warm-up's length.
    /// </summary>
    private static async Task<TimeSpan> SettleAsync(ServerProcess process, HttpClient client, int concurrency, TimeSpan warmUp, TimeSpan settle,
        Func<Random, HttpRequestMessage> make)
    {
        var window = TimeSpan.FromSeconds(5);
        var started = Stopwatch.GetTimestamp();
        double? previous = null;
        var cpu = process.CpuTime();
        var result = await McpBench.LoadAsync(client, concurrency, warmUp, window, make, () => cpu = process.CpuTime());
        while (true)
        {
            var perCall = (process.CpuTime() - cpu).TotalMicroseconds / result.Calls;
            if (previous is { } before && Math.Abs(perCall - before) <= 0.1 * before) break;
            if (Stopwatch.GetElapsedTime(started) >= warmUp + settle) break;
            previous = perCall;
            cpu = process.CpuTime();
            result = await McpBench.LoadAsync(client, concurrency, TimeSpan.Zero, window, make);
        }
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>The arguments that start this bench again: its assembly when run through <c>dotnet</c>, nothing for the apphost.</summary>
    private static string[] BenchArguments() =>
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? [typeof(ServedBench).Assembly.Location] : [];

    private static HttpClient Client(string url, int concurrency) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseCookies = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri(url), DefaultRequestVersion = HttpVersion.Version11,
        };

    /// <summary>The server apphost the bench's build copies beside itself.</summary>
    internal static string ServerPath() => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "pressmcp.exe" : "pressmcp");
}

/// <summary>A server launched as its own process, ready once it answers <c>/healthz</c>.</summary>
internal sealed class ServerProcess : IDisposable
{
    private ServerProcess(Process process, long started, double healthyMs)
    {
        Process = process;
        Started = started;
        HealthyMs = healthyMs;
    }

    public Process Process { get; }

    /// <summary>The launch's timestamp.</summary>
    public long Started { get; }

    /// <summary>Milliseconds from launch to the first <c>/healthz</c> 200.</summary>
    public double HealthyMs { get; }

    /// <summary>The process's CPU time when it first answered <c>/healthz</c>: start-up's work, whatever else the machine does.</summary>
    public TimeSpan HealthyCpu { get; private set; }

    public static async Task<ServerProcess> LaunchAsync(string path, IEnumerable<string> arguments, string url, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{path} did not start");
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null && errors.Count < 20) errors.Enqueue(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            var healthy = await UntilAsync(async () => (await probe.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK, process);
            var launched = new ServerProcess(process, started, Stopwatch.GetElapsedTime(started, healthy).TotalMilliseconds);
            launched.HealthyCpu = launched.CpuTime();
            return launched;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            throw new InvalidOperationException($"{e.Message}: {string.Join(Environment.NewLine, errors)}", e);
        }
    }

    /// <summary>Polls every 5 ms (bounded: 60 s) and returns the timestamp of the first success.</summary>
    public static async Task<long> UntilAsync(Func<Task<bool>> probe, Process? process = null)
    {
        var limit = Stopwatch.StartNew();
        while (limit.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process is { HasExited: true }) throw new InvalidOperationException($"the process exited with {process.ExitCode}");
            try
            {
                if (await probe()) return Stopwatch.GetTimestamp();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy starting to answer within the probe's timeout (a loaded machine).
            }
            await Task.Delay(5);
        }
        throw new TimeoutException("no answer within 60 s");
    }

    /// <summary>A line of /proc/PID/status in kB (VmRSS: now, VmHWM: peak, RssAnon:, RssFile:).</summary>
    public long Memory(string field)
    {
        var line = File.ReadLines($"/proc/{Process.Id}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>The process's user and system time so far (<c>/proc/PID/stat</c> fields 14 and 15, in clock ticks of 10 ms).</summary>
    public TimeSpan CpuTime()
    {
        var fields = StatFields(File.ReadAllText($"/proc/{Process.Id}/stat"));
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>
    /// A <c>/proc/PID/stat</c> line's fields after the command name (field 2), which is in parentheses and may hold
    /// spaces: so the state is [0], utime [11], stime [12], cutime [13], cstime [14].
    /// </summary>
    public static string[] StatFields(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

    public void Stop()
    {
        if (Process.HasExited) return;
        Process.Kill(entireProcessTree: true);
        Process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        Stop();
        Process.Dispose();
    }
}

/// <summary>
/// The CPU of the PostgreSQL server on this machine: every process named postgres, its user and system time and that of
/// its children already waited for (the postmaster's count of exited backends and parallel workers), from /proc. Null
/// when there is none (a server elsewhere).
/// </summary>
internal static class LocalPostgres
{
    public static TimeSpan? CpuTime()
    {
        long ticks = 0;
        var found = false;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out _)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(directory, "comm")).TrimEnd() != "postgres") continue;
                var fields = ServerProcess.StatFields(File.ReadAllText(Path.Combine(directory, "stat")));
                // utime, stime, and the waited-for children's cutime and cstime.
                for (var i = 11; i <= 14; i++) ticks += long.Parse(fields[i], CultureInfo.InvariantCulture);
                found = true;
            }
            catch (IOException)
            {
                // The process ended while it was read: its time is in its parent's children's count once waited for.
            }
        }
        return found ? TimeSpan.FromMilliseconds(ticks * 10) : null;
    }
}
