using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace PressMcp.Tests.Hardening;

/// <summary>
/// A seeded fuzzer over everything a stranger or an agent can send: both MCP endpoints (with a valid bearer
/// token and without; with the Application Password of a user with MCP on, and of one with MCP off and no
/// site), dynamic registration, token, revoke and token-info, the discovery documents, the consent page's
/// query string and the sign-in page's ReturnUrl. Each request starts valid and is damaged one way (see
/// <see cref="FuzzPlanner"/> and <see cref="FuzzPayloads"/>). It passes when no request got a 5xx (or no
/// answer, or a dropped connection), the server process is still up and answering at the end, and its
/// resident memory never went above <see cref="ResidentBoundBytes"/>.
/// Environment: PRESSMCP_FUZZ_SEED (comma-separated seeds, default 1,2), PRESSMCP_FUZZ_COUNT (requests per
/// seed, default 2000), PRESSMCP_FUZZ_INDEX (send only these indexes of the seeds, comma-separated: to reproduce).
/// </summary>
[Trait(Category.Name, Category.Hardening)]
[Collection(HardeningCollection.Name)]
public sealed class EndpointFuzzTests(ITestOutputHelper output)
{
    /// <summary>
    /// 640 MiB. The server takes bodies up to 32 MiB (Kestrel's MaxRequestBodySize). The fuzzer runs four requests
    /// at a time, and a request may cost a few times its size while it is read and parsed (the bytes, the JSON
    /// document's index of its tokens, decoded strings): 4 × 32 MiB × 3 ≈ 384 MiB, above a resident baseline of
    /// about 150–250 MiB for the .NET runtime with server GC, the database and the page assemblies after a
    /// few thousand requests. A request whose memory grows with the number of items rather than the bytes (a
    /// 32 MiB array of sixteen million items parsed into objects) goes far beyond that, which is what this
    /// bound is for. Override with PRESSMCP_FUZZ_RSS_MB.
    /// </summary>
    public static long ResidentBoundBytes =>
        (long.TryParse(Environment.GetEnvironmentVariable("PRESSMCP_FUZZ_RSS_MB"), CultureInfo.InvariantCulture, out var mb) ? mb : 640) * 1024 * 1024;

    private const int Workers = 4;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    private static int[] Seeds => EnvInts("PRESSMCP_FUZZ_SEED") is { Length: > 0 } s ? s : [1, 2];
    private static int Count => EnvInts("PRESSMCP_FUZZ_COUNT") is [var c] ? c : 2000;
    private static int[] OnlyIndexes => EnvInts("PRESSMCP_FUZZ_INDEX");

    private static int[] EnvInts(string name) =>
        (Environment.GetEnvironmentVariable(name) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public async Task Fuzz_SeededDamagedRequests_NoServerErrorServerUpMemoryBounded()
    {
        await using var store = await TestStore.CreateAsync(postgres: false);
        var site = await HardeningSite.CreateAsync(store);
        await using var server = await ServerProcess.StartAsync(store.CliArgs);
        var context = await PrepareAsync(server, site);
        var baseline = server.ResidentBytes() ?? 0;

        var runner = new FuzzRunner(server, RequestTimeout);
        var failures = new List<FuzzFailure>();
        var statuses = new Dictionary<string, int>();
        long peak = 0;
        IReadOnlyList<string> atPeak = [];
        var report = new StringBuilder();
        foreach (var seed in Seeds)
        {
            var planner = new FuzzPlanner(context, seed);
            var only = OnlyIndexes;
            var result = only.Length > 0
                ? await runner.RunAsync(i => planner.Create(only[i]), only.Length, 1, TestContext.Current.CancellationToken)
                : await runner.RunAsync(planner.Create, Count, Workers, TestContext.Current.CancellationToken);
            failures.AddRange(result.Failures);
            foreach (var (k, v) in result.Statuses) statuses[k] = statuses.GetValueOrDefault(k) + v;
            if (result.PeakResidentBytes > peak) (peak, atPeak) = (result.PeakResidentBytes, result.InFlightAtPeak);
            report.AppendLine(CultureInfo.InvariantCulture,
                $"seed {seed}: {result.Sent} requests in {result.Took.TotalSeconds:0.0} s, {result.Failures.Count} failed, peak RSS {result.PeakResidentBytes / 1048576} MiB");
            if (server.HasExited) break;
        }

        using var http = FuzzRunner.CreateClient();
        var alive = !server.HasExited && await server.IsHealthyAsync(http);
        report.AppendLine(CultureInfo.InvariantCulture, $"answers: {string.Join(", ", statuses.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}×{p.Value}"))}");
        report.AppendLine(CultureInfo.InvariantCulture,
            $"resident memory: {baseline / 1048576} MiB after set-up, peak {peak / 1048576} MiB (bound {ResidentBoundBytes / 1048576} MiB); in flight at the peak: {string.Join("; ", atPeak.Distinct())}");
        report.AppendLine(alive ? "server: up and answering" : $"server: DOWN (exit code {server.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}, still running but not answering)");
        if (failures.Count > 0) report.Append(await DescribeFailuresAsync(runner, http, failures, alive, t => Redact(t, context)));
        if (!alive) report.AppendLine("last server log lines:").AppendJoin('\n', server.Log.TakeLast(40)).AppendLine();

        var text = report.ToString();
        output.WriteLine(text);
        WriteReport(text);
        Assert.True(failures.Count == 0 && alive && peak <= ResidentBoundBytes, text);
    }

    /// <summary>The distinct failures (same endpoint family, same damage, same outcome), each sent again alone to quote what the server logged.</summary>
    private static async Task<string> DescribeFailuresAsync(FuzzRunner runner, HttpClient http, List<FuzzFailure> failures, bool alive, Func<string, string> redact)
    {
        var sb = new StringBuilder();
        var groups = failures.GroupBy(f => $"{f.Request.Shape} → {f.Outcome}").OrderByDescending(g => g.Count()).ToList();
        var faults = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        sb.AppendLine(CultureInfo.InvariantCulture, $"{failures.Count} failing requests in {groups.Count} distinct shapes:");
        var n = 0;
        foreach (var g in groups)
        {
            var first = g.First();
            sb.AppendLine(CultureInfo.InvariantCulture, $"[{++n}] {g.Key}  ({g.Count()}×; from: {string.Join(", ", g.Select(f => f.Request.SeedName).Distinct().Take(6))})");
            sb.AppendLine("    " + first.Request.Describe(redact).Replace("\n", "\n    ", StringComparison.Ordinal));
            if (first.ResponseExcerpt.Length > 0) sb.AppendLine("    response: " + first.ResponseExcerpt);
            if (alive && n <= 40)
            {
                var (outcome, log) = await runner.ReplayAsync(http, first.Request);
                sb.AppendLine(CultureInfo.InvariantCulture, $"    replayed alone: {outcome}");
                var essence = FuzzRunner.Essence(log);
                foreach (var line in essence) sb.AppendLine("    log: " + line);
                // The fault: the exception's message and the first frame in PressMcp, the unit to route a fix by.
                var fault = string.Join(" | ", essence.Where(l => !l.StartsWith("fail:", StringComparison.Ordinal)).Take(1)
                    .Concat(essence.Where(l => l.StartsWith("at PressMcp.", StringComparison.Ordinal)).Take(1)));
                if (fault.Length == 0) fault = $"(nothing logged; {outcome})";
                if (!faults.TryGetValue(fault, out var shapes)) faults[fault] = shapes = [];
                shapes.Add(n);
            }
        }
        if (faults.Count > 0)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"distinct server faults behind them ({faults.Count}), with the shapes above that reach each:");
            foreach (var (fault, shapes) in faults) sb.AppendLine(CultureInfo.InvariantCulture, $"  - {fault}  ← [{string.Join("], [", shapes)}]");
        }
        return sb.ToString();
    }

    /// <summary>The report quotes requests; the credentials in them are the test's own, but they are not printed.</summary>
    private static string Redact(string text, FuzzContext c) => text
        .Replace(c.WpcomToken, "<alice's access token>", StringComparison.Ordinal)
        .Replace(c.AliceBasic.Split(' ')[1], "<alice's application password>", StringComparison.Ordinal)
        .Replace(c.CarolBasic.Split(' ')[1], "<carol's application password>", StringComparison.Ordinal)
        .Replace(c.FormAccessToken, "<form client's access token>", StringComparison.Ordinal)
        .Replace(c.FormRefreshToken, "<form client's refresh token>", StringComparison.Ordinal)
        .Replace(c.LoginAntiforgery, "<antiforgery token>", StringComparison.Ordinal)
        .Replace(c.AliceCookie, "<alice's session cookie>", StringComparison.Ordinal)
        .Replace(c.LoginCookie, "<antiforgery cookie>", StringComparison.Ordinal);

    private static void WriteReport(string text)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PressMcp.slnx"))) dir = dir.Parent;
        if (dir is null) return;
        var results = Path.Combine(dir.FullName, "artifacts", "test-results");
        Directory.CreateDirectory(results);
        File.WriteAllText(Path.Combine(results, "hardening-fuzz.txt"), text);
    }

    /// <summary>A post with a comment on garden, the tokens, cookies and client ids the valid starting requests use.</summary>
    private static async Task<FuzzContext> PrepareAsync(ServerProcess server, HardeningSite site)
    {
        using var http = FuzzRunner.CreateClient();
        var adapter = server.BaseUrl + HardeningSite.AdapterPath();
        var created = await AdapterCalls.PostAsync(http, adapter, AdapterCalls.Execute("posts/create", new { title = "Tomato diary", content = "<p>Seedlings</p>", status = "publish" }), site.AliceBasic);
        var rpc = await AdapterCalls.JsonOf(created);
        if (!rpc.TryGetProperty("result", out _)) throw new InvalidOperationException($"posts/create failed: {rpc}");
        var postId = AdapterCalls.TextResult(rpc).GetProperty("id").GetInt64();
        var reply = await AdapterCalls.JsonOf(await AdapterCalls.PostAsync(http, adapter, AdapterCalls.Execute("comments/reply", new { post_id = postId, content = "Looking good" }), site.AliceBasic));
        if (!reply.TryGetProperty("result", out _)) throw new InvalidOperationException($"comments/reply failed: {reply}");

        var (_, wpcom) = await HardeningSite.ConnectAsync(server.BaseUrl, "Fuzz MCP client");
        var (formClient, forms) = await HardeningSite.ConnectAsync(server.BaseUrl, "Fuzz form client");
        var cookies = new CookieContainer();
        using var alice = await HardeningSite.SignedInAliceAsync(server.BaseUrl, cookies);
        var authorizeClient = await alice.PostAsync("/oauth2-1/register", new StringContent(
            $$"""{"client_name":"Fuzz \u00e9\u6f22 consent","redirect_uris":["{{OAuthTestServer.Redirect}}"]}""", Encoding.UTF8, "application/json"));
        var authorizeClientId = JsonDocument.Parse(await authorizeClient.Content.ReadAsStringAsync()).RootElement.GetProperty("client_id").GetString()!;

        var loginCookies = new CookieContainer();
        using var login = HardeningSite.Browser(server.BaseUrl, loginCookies);
        var token = TestServer.AntiforgeryToken(await login.GetStringAsync("/login"))
            ?? throw new InvalidOperationException("no antiforgery token on /login");
        var uri = new Uri(server.BaseUrl);
        return new FuzzContext(wpcom.AccessToken, site.AliceBasic.ToString(), site.CarolBasic.ToString(), postId,
            formClient, forms.AccessToken, forms.RefreshToken, authorizeClientId, cookies.GetCookieHeader(uri), loginCookies.GetCookieHeader(uri), token);
    }
}
