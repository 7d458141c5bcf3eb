using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Npgsql;
using PressMcp.Tests.Media;

namespace PressMcp.Tests.Instances;

/// <summary>
/// Several instances working as one (issue 17): two server processes on one PostgreSQL database behind the shipped
/// nginx site, driven through nginx and, where a step must land on a given instance, through that instance directly.
/// Every wait is bounded; a change made on one instance must be refused there at once and on the other within
/// <see cref="Propagation"/>.
/// </summary>
[Trait(Category.Name, Category.Instances)]
public sealed class InstancesTests(InstanceCluster cluster, ITestOutputHelper output) : IClassFixture<InstanceCluster>
{
    /// <summary>The bound the issue sets for a change on one instance to apply on the others.</summary>
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(5);
    private const string Wpcom = "/wpcom/v2/mcp/v1";
    private static string Adapter(string slug) => $"/sites/{slug}/wp-json/mcp/mcp-adapter-default-server";

    private void SkipUnlessReady()
    {
        if (cluster.SkipReason is { } reason) Assert.Skip(reason);
    }

    [Fact]
    public async Task OAuthFlow_StepsOnDifferentInstances_TokensWorkOnBoth()
    {
        SkipUnlessReady();
        await NewSiteWithBobAsync();
        var cookies = new CookieContainer();
        using var a = InstanceCluster.Browser(cluster.Direct(0), cookies);
        using var b = InstanceCluster.Browser(cluster.Direct(1), cookies);

        // Registration on A.
        var registration = await a.PostAsync("/oauth2-1/register", InstanceCluster.Json($$"""{"client_name":"Two Instances","redirect_uris":["{{OAuthTestServer.Redirect}}"]}"""));
        var registered = await AdapterCalls.JsonOf(registration);
        Assert.True(registration.StatusCode == HttpStatusCode.Created, registered.ToString());
        var clientId = registered.GetProperty("client_id").GetString()!;

        // Sign-in on B; the consent page on A (B's cookie, read with the shared keys); the decision posted on B
        // (A's antiforgery token, checked by B).
        var signIn = await TestServer.PostFormAsync(b, "/login", new() { ["Login"] = "alice", ["Password"] = InstanceCluster.AlicePassword });
        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        var pkce = Pkce.New();
        var approved = await OAuthTestServer.DecideAsync(a, OAuthTestServer.AuthorizePath(clientId, pkce), postWith: b);
        Assert.True(approved.StatusCode == HttpStatusCode.SeeOther, $"the decision on B answered {approved.StatusCode}: {await approved.Content.ReadAsStringAsync()}");
        var code = OAuthTestServer.QueryOf(approved.Headers.Location!)["code"];

        // The code is redeemed on A.
        var token = await a.PostAsync("/oauth2-1/token", new FormUrlEncodedContent(OAuthTestServer.CodeForm(clientId, code, pkce)));
        var tokens = await AdapterCalls.JsonOf(token);
        Assert.True(token.StatusCode == HttpStatusCode.OK, tokens.ToString());

        // The refresh token issued by A is honoured by B.
        var refresh = await b.PostAsync("/oauth2-1/token", new FormUrlEncodedContent(OAuthTestServer.RefreshForm(clientId, tokens.GetProperty("refresh_token").GetString()!)));
        var refreshed = await AdapterCalls.JsonOf(refresh);
        Assert.True(refresh.StatusCode == HttpStatusCode.OK, refreshed.ToString());
        var access = new AuthenticationHeaderValue("Bearer", refreshed.GetProperty("access_token").GetString()!);

        // The new access token works on both instances and through nginx.
        using var http = new HttpClient();
        foreach (var at in new[] { cluster.Direct(0), cluster.Direct(1), cluster.Front })
        {
            var (response, rpc) = await InstanceCluster.RpcAsync(http, at + Wpcom, AdapterCalls.Call("wpcom-mcp-user-profile"), access);
            Assert.True(Allowed(response, rpc), $"user-profile at {at}: {(int)response.StatusCode} {rpc}");
        }

        // The code A redeemed is spent on B too; its replay there revokes what it produced, on A as well.
        var replay = await b.PostAsync("/oauth2-1/token", new FormUrlEncodedContent(OAuthTestServer.CodeForm(clientId, code, pkce)));
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", (await AdapterCalls.JsonOf(replay)).GetProperty("error").GetString());
        // A is the other instance: the revocation reaches it within the bound, as every change made elsewhere does.
        (bool Allowed, string Detail) afterReplay = (true, "");
        var refused = await PollAsync(Propagation, async () => !(afterReplay = await CallAsync(cluster.Direct(0) + Wpcom, AdapterCalls.Call("wpcom-mcp-user-profile"), access)).Allowed);
        Assert.True(refused, $"A still accepted the token {Propagation.TotalSeconds:0} s after the code's replay on B: {afterReplay.Detail}");
    }

    [Fact]
    public async Task McpCalls_ThroughNginx_BothInstancesServeThem()
    {
        SkipUnlessReady();
        await NewSiteWithBobAsync();
        var token = await ConnectAsync("alice", InstanceCluster.AlicePassword);
        using var http = new HttpClient();
        var served = new int[2];
        const int calls = 40;
        for (var n = 0; n < calls; n++)
        {
            var tool = n % 2 == 0 ? AdapterCalls.Call("wpcom-mcp-user-profile") : AdapterCalls.Call("wpcom-mcp-user-sites");
            var (response, rpc) = await InstanceCluster.RpcAsync(http, cluster.Front + Wpcom, tool, token);
            Assert.True(Allowed(response, rpc), $"call {n}: {(int)response.StatusCode} {rpc}");
            served[cluster.AnsweredBy(response) ?? throw new InvalidOperationException($"call {n}: nginx named no instance")]++;
        }
        output.WriteLine($"A served {served[0]}, B served {served[1]} of {calls}");
        // Round robin: about half each; a quarter each is the floor that still proves both take their share.
        Assert.All(served, s => Assert.True(s >= calls / 4, $"A served {served[0]}, B served {served[1]} of {calls}"));
    }

    [Fact]
    public async Task Revocation_OnOneInstance_RefusedThereAtOnceAndOnTheOtherWithinBound()
    {
        SkipUnlessReady();
        var (slug, _) = await NewSiteWithBobAsync();
        var (clientId, bearer) = await ConnectBobAsync();
        await AssertChangeAppliesAsync(madeOn: 0,
            allowed: i => CallAsync(cluster.Direct(i) + Wpcom, AdapterCalls.Call("wpcom-mcp-posts-search", new { wpcom_site = slug }), bearer),
            change: async () =>
            {
                using var a = new HttpClient { BaseAddress = new Uri(cluster.Direct(0)) };
                var revoke = await a.PostAsync("/oauth2-1/revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = bearer.Parameter!, ["client_id"] = clientId }));
                Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
            });
    }

    [Fact]
    public async Task ToolSwitchedOff_OnOneInstance_RefusedThereAtOnceAndOnTheOtherWithinBound()
    {
        SkipUnlessReady();
        var (slug, bobBasic) = await NewSiteWithBobAsync();
        await AssertChangeAppliesAsync(madeOn: 1,
            allowed: i => CallAsync(cluster.Direct(i) + Adapter(slug), AdapterCalls.Execute("posts/search", new { }), bobBasic),
            change: async () =>
            {
                // Bob's own MCP settings page on B: every switch as it is, posts/search unticked.
                var cookies = new CookieContainer();
                using var b = InstanceCluster.Browser(cluster.Direct(1), cookies);
                Assert.Equal(HttpStatusCode.SeeOther, (await TestServer.PostFormAsync(b, "/login", new() { ["Login"] = "bob", ["Password"] = InstanceCluster.BobPassword })).StatusCode);
                var page = TestServer.Parse(await b.GetStringAsync("/account/mcp"));
                var form = page.QuerySelector("form[data-tools]")!;
                var fields = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", TestServer.AntiforgeryToken(form.OuterHtml)!) };
                foreach (var box in form.QuerySelectorAll("input[name=on]").Cast<IHtmlInputElement>())
                    if (box.IsChecked && box.Value != "posts/search") fields.Add(new("on", box.Value));
                Assert.Contains(fields, f => f.Value == "posts/create");
                var saved = await b.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));
                Assert.Equal(HttpStatusCode.SeeOther, saved.StatusCode);
            });
    }

    [Fact]
    public async Task RoleChange_OnOneInstance_RefusedThereAtOnceAndOnTheOtherWithinBound()
    {
        SkipUnlessReady();
        var (slug, bobBasic) = await NewSiteWithBobAsync();
        var n = 0;
        await AssertChangeAppliesAsync(madeOn: 0,
            allowed: i => CallAsync(cluster.Direct(i) + Adapter(slug), AdapterCalls.Execute("posts/create", new { title = $"Bob's draft {n++}", content = "<p>Draft.</p>" }), bobBasic),
            change: async () =>
            {
                using var http = new HttpClient();
                var (response, rpc) = await InstanceCluster.RpcAsync(http, cluster.Direct(0) + Adapter(slug),
                    AdapterCalls.Execute("site/update-member-role", new { user = "bob", role = "subscriber" }), cluster.AliceBasic);
                Assert.True(Allowed(response, rpc), rpc.ToString());
            });
    }

    [Fact]
    public async Task SiteBlocked_OnOneInstance_RefusedThereAtOnceAndOnTheOtherWithinBound()
    {
        SkipUnlessReady();
        var (slug, bobBasic) = await NewSiteWithBobAsync();
        await AssertChangeAppliesAsync(madeOn: 1,
            allowed: i => CallAsync(cluster.Direct(i) + Adapter(slug), AdapterCalls.Execute("posts/search", new { }), bobBasic),
            change: async () =>
            {
                using var http = new HttpClient();
                var (response, rpc) = await InstanceCluster.RpcAsync(http, cluster.Direct(1) + Adapter(slug),
                    AdapterCalls.Execute("site/update-settings", new { mcp_policy = "blocked" }), cluster.AliceBasic);
                Assert.True(Allowed(response, rpc), rpc.ToString());
            });
    }

    [Fact]
    public async Task Upload_ThroughOneInstance_ServedByBothFromTheSharedMediaDirectory()
    {
        SkipUnlessReady();
        var (slug, _) = await NewSiteWithBobAsync();
        var png = MediaSamples.Png(3, 2, 10, 120, 200);
        using var http = new HttpClient();
        var (response, rpc) = await InstanceCluster.RpcAsync(http, cluster.Direct(0) + Adapter(slug),
            AdapterCalls.Execute("media/upload", new { data = Convert.ToBase64String(png), filename = "shared.png" }), cluster.AliceBasic);
        Assert.True(Allowed(response, rpc), rpc.ToString());
        var url = new Uri(AdapterCalls.TextResult(rpc).GetProperty("url").GetString()!);
        // The address is built from the public URL (nginx), whichever instance took the upload.
        Assert.StartsWith(cluster.Front, url.ToString(), StringComparison.Ordinal);

        foreach (var at in new[] { cluster.Direct(0), cluster.Direct(1), cluster.Front })
        {
            var file = await http.GetAsync(at + url.PathAndQuery);
            Assert.True(file.StatusCode == HttpStatusCode.OK, $"{url.PathAndQuery} at {at}: {(int)file.StatusCode}");
            Assert.Equal(png, await file.Content.ReadAsByteArrayAsync());
        }
        // The file is in the configured shared directory, not in either instance's data directory.
        Assert.Single(Directory.EnumerateFiles(cluster.MediaRoot, "shared*.png", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task MediaScan_StartedOnOneInstance_WatchedAndCancelledOnTheOther_RunsOnce()
    {
        SkipUnlessReady();
        var (slug, _) = await NewSiteWithBobAsync();
        using var http = new HttpClient();
        async Task<JsonElement> Ability(int i, string ability, object parameters)
        {
            var (response, rpc) = await InstanceCluster.RpcAsync(http, cluster.Direct(i) + Adapter(slug), AdapterCalls.Execute(ability, parameters), cluster.AliceBasic);
            Assert.True(Allowed(response, rpc), $"{ability} on {InstanceCluster.Name(i)}: {rpc}");
            return AdapterCalls.TextResult(rpc);
        }
        for (var n = 0; n < 3; n++)
            await Ability(0, "media/upload", new { data = Convert.ToBase64String(MediaSamples.Png(2, 2, (byte)(n * 40), 90, 30)), filename = $"unused-{n}.png" });

        long scanId;
        await using (var blocker = await cluster.OpenDatabaseAsync())
        {
            // The scan's first findings wait on this lock: it stays running (status readable, its row free to be
            // cancelled) for as long as the test needs, and the waiting sessions show how many runs there are.
            await using var tx = await blocker.BeginTransactionAsync();
            await using (var lockCommand = new NpgsqlCommand("LOCK TABLE media_scan_results IN EXCLUSIVE MODE", blocker, tx)) await lockCommand.ExecuteNonQueryAsync();

            scanId = (await Ability(0, "vmfo-cleanup/start-scan", new { types = new[] { "unused" } })).GetProperty("id").GetInt64();
            var running = await PollAsync(TimeSpan.FromSeconds(20), async () =>
                (await Ability(1, "vmfo-cleanup/get-scan-status", new { scan_id = scanId })).GetProperty("status").GetString() == "running");
            Assert.True(running, "the scan did not show as running on B within 20 s");
            // Both runners poll for queued scans every 0.5 s; the claim lets exactly one of them run it.
            var waiting = 0L;
            Assert.True(await PollAsync(TimeSpan.FromSeconds(15), async () => (waiting = await WaitingInsertsAsync()) >= 1), "the scan never reached its first findings");
            Assert.Equal(1L, waiting);

            var cancelled = await Ability(1, "vmfo-cleanup/cancel-scan", new { scan_id = scanId });
            Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
            // The instance running it notices at its next heartbeat (0.5 s here) and stops waiting.
            Assert.True(await PollAsync(TimeSpan.FromSeconds(10), async () => await WaitingInsertsAsync() == 0), "the cancelled scan still waits to write findings 10 s after the cancel");
            await tx.RollbackAsync();
        }
        var after = await Ability(0, "vmfo-cleanup/get-scan-status", new { scan_id = scanId });
        Assert.Equal("cancelled", after.GetProperty("status").GetString());
        Assert.Equal(0L, await cluster.ScalarAsync<long>("SELECT COUNT(*) FROM media_scan_results WHERE scan_id = @id", ("id", scanId)));

        // A new scan started on B runs to the end once: each unused file found exactly once.
        var second = (await Ability(1, "vmfo-cleanup/start-scan", new { types = new[] { "unused" } })).GetProperty("id").GetInt64();
        JsonElement done = default;
        Assert.True(await PollAsync(TimeSpan.FromSeconds(60), async () =>
            (done = await Ability(0, "vmfo-cleanup/get-scan-status", new { scan_id = second })).GetProperty("status").GetString() is "completed" or "failed" or "interrupted"),
            "the second scan did not finish within 60 s");
        Assert.True(done.GetProperty("status").GetString() == "completed", done.ToString());
        Assert.Equal(3, done.GetProperty("result_count").GetInt32());
        Assert.Equal(3L, await cluster.ScalarAsync<long>("SELECT COUNT(DISTINCT attachment_id) FROM media_scan_results WHERE scan_id = @id", ("id", second)));
        Assert.Equal(3L, await cluster.ScalarAsync<long>("SELECT COUNT(*) FROM media_scan_results WHERE scan_id = @id", ("id", second)));
    }

    [Fact]
    public async Task StartScan_RacingOnBothInstances_OneScanPerSiteAndKind()
    {
        SkipUnlessReady();
        // Six start-scan calls at once per site, three on each instance: the "already queued or running" check must
        // hold across instances (it was a read, then an insert, and two instances could both pass it). Each site has
        // an unused file, and the scans' first findings wait on a lock, so a scan that started stays running for the
        // whole race: a second scan can only come from the race, never from a first one that already finished.
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 });
        var sites = new List<string>();
        for (var n = 0; n < 8; n++)
        {
            var (slug, _) = await NewSiteWithBobAsync();
            var (response, rpc) = await InstanceCluster.RpcAsync(http, cluster.Direct(0) + Adapter(slug),
                AdapterCalls.Execute("media/upload", new { data = Convert.ToBase64String(MediaSamples.Png(2, 2, (byte)n, 7, 7)), filename = "race.png" }), cluster.AliceBasic);
            Assert.True(Allowed(response, rpc), rpc.ToString());
            sites.Add(slug);
        }
        var doubled = new List<string>();
        await using (var blocker = await cluster.OpenDatabaseAsync())
        {
            await using var tx = await blocker.BeginTransactionAsync();
            await using (var lockCommand = new NpgsqlCommand("LOCK TABLE media_scan_results IN EXCLUSIVE MODE", blocker, tx)) await lockCommand.ExecuteNonQueryAsync();
            foreach (var slug in sites)
            {
                var calls = Enumerable.Range(0, 6).Select(n => InstanceCluster.RpcAsync(http, cluster.Direct(n % 2) + Adapter(slug),
                    AdapterCalls.Execute("vmfo-cleanup/start-scan", new { types = new[] { "unused" } }), cluster.AliceBasic)).ToList();
                var answers = await Task.WhenAll(calls);
                var started = answers.Count(a => Allowed(a.Response, a.Rpc));
                var scans = await cluster.ScalarAsync<long>("SELECT COUNT(*) FROM media_scans m JOIN sites s ON s.id = m.site_id WHERE s.slug = @slug", ("slug", slug));
                Assert.Equal(scans, started);
                if (scans != 1) doubled.Add($"{slug}: {scans} scans");
            }
            await tx.RollbackAsync();
        }
        Assert.True(doubled.Count == 0, "more than one cleanup scan was started on a site by concurrent calls: " + string.Join(", ", doubled));
    }

    [Fact]
    public async Task InstanceKilledUnderLoad_OtherServesLaterRequests_RestartedOneRejoins()
    {
        SkipUnlessReady();
        var (slug, _) = await NewSiteWithBobAsync();
        var token = await ConnectAsync("alice", InstanceCluster.AlicePassword);
        var results = new ConcurrentQueue<(TimeSpan Started, TimeSpan Finished, bool Ok, int? By, string What)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        async Task Client(int c)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var body = c % 2 == 0 ? AdapterCalls.Call("wpcom-mcp-user-profile") : AdapterCalls.Call("wpcom-mcp-posts-search", new { wpcom_site = slug, search = "harbour" });
            while (!stop.IsCancellationRequested)
            {
                var started = clock.Elapsed;
                try
                {
                    var (response, rpc) = await InstanceCluster.RpcAsync(http, cluster.Front + Wpcom, body, token);
                    results.Enqueue((started, clock.Elapsed, Allowed(response, rpc), cluster.AnsweredBy(response), $"{(int)response.StatusCode}"));
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or JsonException)
                {
                    results.Enqueue((started, clock.Elapsed, false, null, e.GetType().Name));
                }
            }
        }
        int ServedBy(int i, TimeSpan since) => results.Count(r => r.Ok && r.By == i && r.Started >= since);

        var clients = Enumerable.Range(0, 8).Select(c => Task.Run(() => Client(c))).ToList();
        try
        {
            Assert.True(await PollAsync(TimeSpan.FromSeconds(30), () => Task.FromResult(ServedBy(0, TimeSpan.Zero) >= 20 && ServedBy(1, TimeSpan.Zero) >= 20)), "both instances did not serve under load within 30 s");
            var killAt = clock.Elapsed;
            await cluster.KillAsync(0);
            var killed = clock.Elapsed;
            // nginx learns of the closed connections at its next turn of the event loop; a second is far more than that.
            var noticed = killed + TimeSpan.FromSeconds(1);
            Assert.True(await PollAsync(TimeSpan.FromSeconds(30), () => Task.FromResult(ServedBy(1, noticed) >= 50)), "B did not serve 50 calls after the kill within 30 s");

            await cluster.RestartAsync(0);
            var restarted = clock.Elapsed;
            // nginx tries a failed instance again after fail_timeout (10 s in the shipped file).
            Assert.True(await PollAsync(TimeSpan.FromSeconds(40), () => Task.FromResult(ServedBy(0, restarted) >= 10)), "the restarted instance A served no calls through nginx within 40 s");
            await stop.CancelAsync();
            await Task.WhenAll(clients);

            // Finished before the kill: every one succeeded. Started before it and finished after: in flight on A, may fail.
            var before = results.Where(r => r.Finished < killAt).ToList();
            var window = results.Where(r => r.Finished >= killAt && r.Started < noticed).ToList();
            var later = results.Where(r => r.Started >= noticed).ToList();
            output.WriteLine($"finished before the kill: {before.Count} calls, {before.Count(r => !r.Ok)} failed; in flight at the kill or started in its first second: {window.Count} calls, {window.Count(r => !r.Ok)} failed; " +
                $"after: {later.Count} calls ({later.Count(r => r.By == 0)} on A after its restart, {later.Count(r => r.By == 1)} on B), {later.Count(r => !r.Ok)} failed");
            Assert.True(before.All(r => r.Ok), "a call failed while both instances ran: " + string.Join(", ", before.Where(r => !r.Ok).Take(5).Select(r => r.What)) + "\n" + cluster.Nginx.Diagnostics());
            Assert.True(later.All(r => r.Ok), $"{later.Count(r => !r.Ok)} calls started after nginx noticed the kill failed: " +
                string.Join(", ", later.Where(r => !r.Ok).Take(5).Select(r => $"{r.What} at {r.Started.TotalSeconds:0.000} s")) + "\n" + cluster.Nginx.Diagnostics());
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(60));
            // Whatever failed, the fixture's next test needs A running.
            try { cluster.Instance(0); } catch (InvalidOperationException) { await cluster.RestartAsync(0); }
        }
    }

    /// <summary>
    /// The call is allowed on both instances; the change is made through <paramref name="madeOn"/>; the call is then
    /// refused there at once and on the other instance within <see cref="Propagation"/> (polled, not slept).
    /// </summary>
    private async Task AssertChangeAppliesAsync(int madeOn, Func<int, Task<(bool Allowed, string Detail)>> allowed, Func<Task> change)
    {
        for (var i = 0; i < 2; i++)
        {
            // The fixture's own set-up is made by the command line, another process: the instances take it within the
            // same bound (an earlier test may have switched the very tool off for bob), so it is waited for, not assumed.
            (bool Allowed, string Detail) before = (false, "");
            var instance = i;
            var ready = await PollAsync(Propagation, async () => (before = await allowed(instance)).Allowed);
            Assert.True(ready, $"before the change, {InstanceCluster.Name(i)} refused for {Propagation.TotalSeconds:0} s: {before.Detail}");
        }
        await change();
        var changed = Stopwatch.StartNew();
        var here = await allowed(madeOn);
        Assert.False(here.Allowed, $"{InstanceCluster.Name(madeOn)}, where the change was made, still allowed the call: {here.Detail}");
        var other = 1 - madeOn;
        (bool Allowed, string Detail) there = (true, "");
        var refused = await PollAsync(Propagation, async () => !(there = await allowed(other)).Allowed);
        output.WriteLine($"refused on {InstanceCluster.Name(other)} {changed.Elapsed.TotalMilliseconds:0} ms after the change on {InstanceCluster.Name(madeOn)}: {there.Detail}");
        Assert.True(refused, $"{InstanceCluster.Name(other)} still allowed the call {Propagation.TotalSeconds:0} s after the change on {InstanceCluster.Name(madeOn)}: {there.Detail}");
    }

    private static async Task<(bool Allowed, string Detail)> CallAsync(string url, string body, AuthenticationHeaderValue auth)
    {
        using var http = new HttpClient();
        var (response, rpc) = await InstanceCluster.RpcAsync(http, url, body, auth);
        return (Allowed(response, rpc), $"{(int)response.StatusCode} {(rpc.ValueKind == JsonValueKind.Undefined ? "" : rpc.ToString())}");
    }

    /// <summary>A tool call that ran: HTTP 200, a JSON-RPC result, not marked as an error.</summary>
    private static bool Allowed(HttpResponseMessage response, JsonElement rpc) =>
        response.StatusCode == HttpStatusCode.OK && rpc.ValueKind == JsonValueKind.Object && rpc.TryGetProperty("result", out var result)
        && !(result.TryGetProperty("isError", out var isError) && isError.ValueKind == JsonValueKind.True);

    private static async Task<bool> PollAsync(TimeSpan limit, Func<Task<bool>> condition)
    {
        var until = Stopwatch.StartNew();
        while (true)
        {
            if (await condition()) return true;
            if (until.Elapsed > limit) return false;
            await Task.Delay(100);
        }
    }

    private Task<long> WaitingInsertsAsync() => cluster.ScalarAsync<long>(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%INSERT INTO media_scan_results%'");

    /// <summary>A fresh site owned by alice with bob as author, bob's write tool on, and an Application Password for bob.</summary>
    private async Task<(string Slug, AuthenticationHeaderValue BobBasic)> NewSiteWithBobAsync()
    {
        var slug = "s" + Guid.NewGuid().ToString("N")[..10];
        await cluster.Cli("site", "create", "--slug", slug, "--title", "Site " + slug, "--owner", "alice");
        await cluster.Cli("site", "add-user", "--site", slug, "--login", "bob", "--role", "author");
        await cluster.Cli("mcp-access", "--login", "bob", "--tool", "posts/create", "--tool", "posts/search");
        var password = await AdapterCalls.CreatePasswordAsync(cluster.Store, "bob", "instances " + slug, enableMcp: true);
        return (slug, AdapterCalls.Basic("bob", password));
    }

    private async Task<(string ClientId, AuthenticationHeaderValue Bearer)> ConnectBobAsync()
    {
        var (clientId, tokens) = await ConnectFlowAsync("bob", InstanceCluster.BobPassword);
        return (clientId, new AuthenticationHeaderValue("Bearer", tokens.AccessToken));
    }

    private async Task<AuthenticationHeaderValue> ConnectAsync(string login, string password) =>
        new("Bearer", (await ConnectFlowAsync(login, password)).Tokens.AccessToken);

    /// <summary>The OAuth flow through nginx, as a client and the user's browser go through it.</summary>
    private async Task<(string ClientId, TokenSet Tokens)> ConnectFlowAsync(string login, string password)
    {
        using var browser = InstanceCluster.Browser(cluster.Front, new CookieContainer());
        Assert.Equal(HttpStatusCode.SeeOther, (await TestServer.PostFormAsync(browser, "/login", new() { ["Login"] = login, ["Password"] = password })).StatusCode);
        var registration = await browser.PostAsync("/oauth2-1/register", InstanceCluster.Json($$"""{"client_name":"Agent of {{login}}","redirect_uris":["{{OAuthTestServer.Redirect}}"]}"""));
        var clientId = (await AdapterCalls.JsonOf(registration)).GetProperty("client_id").GetString()!;
        var pkce = Pkce.New();
        var approved = await OAuthTestServer.DecideAsync(browser, OAuthTestServer.AuthorizePath(clientId, pkce));
        Assert.Equal(HttpStatusCode.SeeOther, approved.StatusCode);
        var token = await browser.PostAsync("/oauth2-1/token", new FormUrlEncodedContent(OAuthTestServer.CodeForm(clientId, OAuthTestServer.QueryOf(approved.Headers.Location!)["code"], pkce)));
        var json = await AdapterCalls.JsonOf(token);
        Assert.True(token.StatusCode == HttpStatusCode.OK, json.ToString());
        return (clientId, OAuthTestServer.ToTokens(json));
    }
}
