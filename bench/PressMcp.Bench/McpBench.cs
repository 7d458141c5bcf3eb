using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Builder;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Cli;
using PressMcp.Demo;
using PressMcp.Mcp.Settings;
using PressMcp.Sites;
using PressMcp.Storage;
using PressMcp.Web;

namespace PressMcp.Bench;

/// <summary>
/// MCP calls per second over loopback HTTP/1.1 at a fixed concurrency, with a real token from the real OAuth
/// flow (register, sign in, consent, token), against the real server on the benchmark site. The same run
/// measures a bare ASP.NET Core endpoint in the same process returning the very same JSON bytes, so the ratio
/// says what the MCP layer (authentication, settings, permission, validation, execution, logging) costs.
/// Client and server share the machine's cores, for ours and for the bare endpoint alike.
/// </summary>
internal static partial class McpBench
{
    private const string Password = "bench agent password phrase";

    public static async Task RunAsync(string dataDir, int posts, TimeSpan duration, TimeSpan warmUp, int concurrency, int phaseRuns, string onlyTool)
    {
        string siteSlug;
        await using (var env = await BenchEnvironment.OpenAsync(dataDir))
        {
            var siteId = await env.EnsureDemoSiteAsync(posts);
            siteSlug = await PrepareAgentAsync(env, siteId);
            var port = FreePort();
            var url = $"http://127.0.0.1:{port}";
            var settings = ServeCommand.ReadSettings(env.Storage, url, null, [], out var error) ?? throw new InvalidOperationException(error);
            settings = settings with { MinimumLogLevel = LogLevel.Warning };
            var bare = new BareResponses();
            var app = await ServerHost.StartAsync(settings, TextWriter.Null, default, configureTestEndpoints: a => a.MapPost("/bench/bare/{name}", (string name) => bare.Get(name)));
            try
            {
                var token = await ConnectAsync(url);
                if (phaseRuns > 0)
                {
                    await PhasesAsync(app.Services, token, siteSlug, phaseRuns, url, onlyTool);
                    return;
                }
                using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseCookies = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
                {
                    BaseAddress = new Uri(url), DefaultRequestVersion = HttpVersion.Version11,
                };
                var vocabulary = new DemoText(BenchEnvironment.SiteSeed).VocabularyByFrequency();
                var cases = new (string Name, string Tool, Func<Random, object> Arguments)[]
                {
                    ("trivial read tool (wpcom-mcp-user-profile)", "wpcom-mcp-user-profile", _ => new { }),
                    ("wpcom-mcp-posts-search, one word, 100,000 posts", "wpcom-mcp-posts-search", r => new { wpcom_site = siteSlug, search = vocabulary[r.Next(100, Math.Min(3000, vocabulary.Count))], per_page = 10 }),
                };
                Console.WriteLine($"MCP over loopback HTTP/1.1, concurrency {concurrency}, {duration.TotalSeconds:0} s per case after {warmUp.TotalSeconds:0} s warm-up, {posts:N0}-post site ({env.Describe()}).");
                Console.WriteLine("CPU µs/call: the whole process's CPU time (server and load client) over the run divided by the calls; load: the 1-minute load average at the end of each run.");
                Console.WriteLine("| case | calls/s | median ms | p99 ms | CPU µs/call | bare calls/s | bare median ms | bare CPU µs/call | ours / bare | GC paused (gen1/gen2 collections) | load |");
                Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
                foreach (var (name, tool, arguments) in cases.Where(c => onlyTool.Length == 0 || c.Tool == onlyTool))
                {
                    // The bare endpoint answers with the bytes our endpoint answered for a representative call.
                    var sample = await CallAsync(client, token, tool, arguments(new Random(1)));
                    bare.Set(tool, sample);
                    var ours = await LoadAsync(client, concurrency, warmUp, duration, r => Request("/wpcom/v2/mcp/v1", token, tool, arguments(r)));
                    var baseline = await LoadAsync(client, concurrency, warmUp, duration, r => Request($"/bench/bare/{tool}", token, tool, arguments(r)));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {name} | {ours.PerSecond:N0} | {ours.Median:F2} | {ours.P99:F2} | {ours.CpuMicroseconds:F0} | {baseline.PerSecond:N0} | {baseline.Median:F2} | {baseline.CpuMicroseconds:F0} | {ours.PerSecond / baseline.PerSecond:P0} | {ours.GcPause:P1} ({ours.Gen1}/{ours.Gen2}) | {LoadAverage()} |"));
                }
                // In process, so this is server and client together; `startup` measures the server process alone.
                Console.WriteLine($"Peak RSS of the bench process (server and load client): {PeakRssMegabytes()} MB.");
            }
            finally
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }

    /// <summary>The agent's account: an editor of the benchmark site with MCP access on (read tools), created once.</summary>
    internal static async Task<string> PrepareAgentAsync(BenchEnvironment env, long siteId)
    {
        await using var scope = env.Scope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<PressDbContext>();
        var accounts = sp.GetRequiredService<UserAccounts>();
        var user = await accounts.FindByLoginAsync("bench-agent");
        if (user is null)
        {
            var created = await accounts.CreateAsync(new NewUser("bench-agent", "bench-agent@bench.invalid", Password));
            user = created.Value ?? throw new InvalidOperationException(created.Problem!.Message);
        }
        var site = await db.Sites.SingleAsync(s => s.Id == siteId);
        if (!await db.SiteMembers.AnyAsync(m => m.SiteId == siteId && m.UserId == user.Id))
        {
            var added = await sp.GetRequiredService<SiteDirectory>().SetMemberAsync(site, user.UserName!, Roles.Editor);
            if (!added.Succeeded) throw new InvalidOperationException(added.Problem!.Message);
        }
        await new McpSettingsStore(db, TimeProvider.System).SetEnabledAsync(user.Id, true);
        // Every run logs each call; without this the log of earlier runs (millions of rows) would make each run's
        // inserts dearer than the last, and runs would not compare.
        await db.ActivityLog.ExecuteDeleteAsync();
        return site.Slug;
    }

    /// <summary>Register a client, sign in, approve on the consent page, exchange the code: a token as any client gets one.</summary>
    internal static async Task<string> ConnectAsync(string url)
    {
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };
        const string redirect = "http://127.0.0.1/callback";
        var registered = await browser.PostAsync("/oauth2-1/register",
            new StringContent($$"""{"client_name":"bench","redirect_uris":["{{redirect}}"]}""", Encoding.UTF8, "application/json"));
        var clientId = JsonDocument.Parse(await registered.Content.ReadAsStringAsync()).RootElement.GetProperty("client_id").GetString()!;

        var login = await browser.GetStringAsync("/login");
        var signedIn = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Login"] = "bench-agent", ["Password"] = Password, ["__RequestVerificationToken"] = Antiforgery(login),
        }));
        if (signedIn.StatusCode != HttpStatusCode.SeeOther) throw new InvalidOperationException($"sign-in answered {signedIn.StatusCode}");

        var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var authorize = $"/oauth2-1/authorize?response_type=code&client_id={Uri.EscapeDataString(clientId)}&redirect_uri={Uri.EscapeDataString(redirect)}" +
            $"&code_challenge={challenge}&code_challenge_method=S256&state=s&scope=auth&resource={Uri.EscapeDataString(url + "/wpcom/v2/mcp/v1")}";
        var consent = await browser.GetStringAsync(authorize);
        var fields = HiddenInput().Matches(consent).Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value))).ToList();
        fields.AddRange(SiteBox().Matches(consent).Select(m => new KeyValuePair<string, string>("site", m.Groups[1].Value)));
        fields.Add(new("__RequestVerificationToken", Antiforgery(consent)));
        fields.Add(new("decision", "approve"));
        var approved = await browser.PostAsync("/oauth2-1/authorize", new FormUrlEncodedContent(fields));
        if (approved.StatusCode != HttpStatusCode.SeeOther)
            throw new InvalidOperationException($"consent answered {(int)approved.StatusCode}: {await approved.Content.ReadAsStringAsync()}\n{consent}");
        var code = System.Web.HttpUtility.ParseQueryString(approved.Headers.Location!.Query)["code"] ?? throw new InvalidOperationException("no code");
        var token = await browser.PostAsync("/oauth2-1/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = clientId, ["code"] = code, ["redirect_uri"] = redirect, ["code_verifier"] = verifier,
        }));
        return JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
    }

    private static string Antiforgery(string html) => AntiforgeryInput().Match(html).Groups[1].Value;

    internal static HttpRequestMessage Request(string path, string token, string tool, object arguments)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { jsonrpc = "2.0", id = 1, method = "tools/call", @params = new { name = tool, arguments } });
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body), Version = HttpVersion.Version11 };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Authorization = new("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        return request;
    }

    internal static async Task<byte[]> CallAsync(HttpClient client, string token, string tool, object arguments)
    {
        using var response = await client.SendAsync(Request("/wpcom/v2/mcp/v1", token, tool, arguments));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK || Encoding.UTF8.GetString(bytes).Contains("\"isError\":true", StringComparison.Ordinal))
            throw new InvalidOperationException($"{tool} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(bytes)}");
        return bytes;
    }

    /// <summary>GcPause: the share of the run's wall time the GC had the process paused; Gen1/Gen2: collections during the run.</summary>
    internal sealed record LoadResult(double PerSecond, double Median, double P99, double CpuMicroseconds, double GcPause, int Gen1, int Gen2, int Calls)
    {
        /// <summary>
        /// Each timed call's latency with the kinds its request was tagged with (<see cref="KindsKey"/>), when any were, its
        /// query (<see cref="QueryKey"/>) and the second of the run it ended in.
        /// </summary>
        public IReadOnlyList<(double Ms, IReadOnlyList<string> Kinds, string? Query, int Second)> Tagged { get; init; } = [];
    }

    /// <summary>A request's kinds (<see cref="SearchShapes.Shape.Kinds"/>), so a load run can report its latencies by kind.</summary>
    internal static readonly HttpRequestOptionsKey<IReadOnlyList<string>> KindsKey = new("pressmcp.bench.kinds");

    /// <summary>What a tagged request asked, as a person would read it, for the list of the slowest calls.</summary>
    internal static readonly HttpRequestOptionsKey<string> QueryKey = new("pressmcp.bench.query");

    // The warm-up is long on purpose: a server this size is still tiering up its JIT code (hundreds of methods a
    // second) for the first 20-30 s under load on two cores, and a production server is measured in its steady state.
    internal static async Task<LoadResult> LoadAsync(HttpClient client, int concurrency, TimeSpan warmUp, TimeSpan duration, Func<Random, HttpRequestMessage> make, Action? measuring = null)
    {
        async Task<List<(double Ms, IReadOnlyList<string>? Kinds, string? Query, long End)>> Worker(int seed, DateTime until, bool record)
        {
            var random = new Random(seed);
            var latencies = new List<(double, IReadOnlyList<string>?, string?, long)>();
            while (DateTime.UtcNow < until)
            {
                var start = Stopwatch.GetTimestamp();
                using var request = make(random);
                using var response = await client.SendAsync(request);
                await response.Content.LoadIntoBufferAsync();
                if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"answered {(int)response.StatusCode}");
                if (record)
                    latencies.Add((Stopwatch.GetElapsedTime(start).TotalMilliseconds, request.Options.TryGetValue(KindsKey, out var kinds) ? kinds : null,
                        request.Options.TryGetValue(QueryKey, out var query) ? query : null, Stopwatch.GetTimestamp()));
            }
            return latencies;
        }
        var warm = DateTime.UtcNow + warmUp;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => Worker(i, warm, record: false)));
        measuring?.Invoke();
        var started = Stopwatch.GetTimestamp();
        var cpu = CpuTime();
        var (pause, gen1, gen2) = (GC.GetTotalPauseDuration(), GC.CollectionCount(1), GC.CollectionCount(2));
        var until = DateTime.UtcNow + duration;
        var calls = (await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => Worker(1000 + i, until, record: true)))).SelectMany(l => l).ToList();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = calls.Select(c => c.Ms).Order().ToArray();
        var cpuPerCall = (CpuTime() - cpu).TotalMicroseconds / all.Length;
        return new LoadResult(all.Length / seconds, all[all.Length / 2], Percentile(all, 0.99), cpuPerCall,
            (GC.GetTotalPauseDuration() - pause).TotalSeconds / seconds, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2, all.Length)
        {
            Tagged = [.. calls.Where(c => c.Kinds is not null).Select(c => (c.Ms, c.Kinds!, c.Query, (int)((c.End - started) / Stopwatch.Frequency) + 1))],
        };
    }

    /// <summary>The value at <paramref name="fraction"/> of <paramref name="sorted"/> (nearest rank).</summary>
    internal static double Percentile(double[] sorted, double fraction) =>
        sorted[(int)Math.Clamp(Math.Ceiling(sorted.Length * fraction) - 1, 0, sorted.Length - 1)];

    /// <summary>This process's peak resident set (VmHWM), in MB.</summary>
    internal static long PeakRssMegabytes() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;

    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>The bytes each bare endpoint answers with.</summary>
    private sealed class BareResponses
    {
        private readonly Dictionary<string, byte[]> _bodies = [];

        public void Set(string name, byte[] body)
        {
            lock (_bodies) _bodies[name] = body;
        }

        public IResult Get(string name)
        {
            byte[] body;
            lock (_bodies) body = _bodies[name];
            return Results.Bytes(body, "application/json");
        }
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<input type=\"checkbox\" name=\"site\" value=\"(\\d+)\"")]
    private static partial Regex SiteBox();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();
}
