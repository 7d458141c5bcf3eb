using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Activity;
using PressMcp.Storage;
using PressMcp.Abilities;

namespace PressMcp.Tests.Mcp;

/// <summary>The activity log end to end: every call recorded off the request path, shown to its user, filterable, pruned.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class ActivityLogTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync() => _s = await OAuthTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    private async Task<List<ActivityEntry>> FlushAndReadAsync()
    {
        await _s.Server.Services.GetRequiredService<ActivityFlusher>().FlushAsync();
        await using var scope = _s.Server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PressDbContext>().ActivityLog.OrderBy(a => a.Id).ToListAsync();
    }

    [Fact]
    public async Task EveryOutcomeIsRecorded_WithWhoWhatWhereAndHowLong()
    {
        var (clientId, tokens) = await _s.ConnectAsync(sites: ["Garden Notes", "Kitchen"]);
        var token = tokens.AccessToken;
        Assert.Equal(HttpStatusCode.OK, (await _s.CallToolAsync(token, "wpcom-mcp-posts-search", new { wpcom_site = "garden", search = "tomatoes" })).StatusCode);
        await _s.CallToolAsync(token, "wpcom-mcp-posts-search", new { wpcom_site = "garden", per_page = 500 });
        await _s.CallToolAsync(token, "wpcom-mcp-site-users", new { wpcom_site = "kitchen" });
        await _s.CallToolAsync(token, "wpcom-mcp-post-get", new { wpcom_site = "nowhere", post_id = 1 });
        var (_, readOnly) = await _s.ConnectAsync(scope: "content:read", sites: ["Garden Notes"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await _s.CallToolAsync(readOnly.AccessToken, "wpcom-mcp-site-users", new { wpcom_site = "garden" })).StatusCode);

        var entries = await FlushAndReadAsync();
        Assert.Equal(5, entries.Count);
        var (ok, invalid, refused, notFound, stepUp) = (entries[0], entries[1], entries[2], entries[3], entries[4]);
        Assert.Equal(CallOutcome.Succeeded, ok.Outcome);
        Assert.Equal("wpcom-mcp-posts-search", ok.Tool);
        Assert.Equal("posts/search", ok.Ability);
        Assert.Equal("wpcom", ok.Endpoint);
        Assert.Equal(clientId, ok.Client);
        Assert.Contains("search=\"tomatoes\"", ok.Arguments, StringComparison.Ordinal);
        Assert.Contains("wpcom_site=\"garden\"", ok.Arguments, StringComparison.Ordinal);
        Assert.NotNull(ok.SiteId);
        Assert.False(ok.IsWrite);
        Assert.Null(ok.Message);
        Assert.InRange(ok.DurationMs, 0, 60_000);

        Assert.Equal(CallOutcome.Invalid, invalid.Outcome);
        Assert.Contains("per_page", invalid.Message, StringComparison.Ordinal);
        Assert.Equal(CallOutcome.Refused, refused.Outcome);
        Assert.Contains("list_users", refused.Message, StringComparison.Ordinal);
        Assert.Equal(CallOutcome.NotFound, notFound.Outcome);
        Assert.Null(notFound.SiteId);
        Assert.Equal(CallOutcome.StepUp, stepUp.Outcome);
        Assert.All(entries, e => Assert.NotEqual(Guid.Empty, e.CallId));
    }

    [Fact]
    public async Task Page_ShowsOwnActivity_FiltersBySite_AdminSeesEveryone()
    {
        var (clientId, tokens) = await _s.ConnectAsync(sites: ["Garden Notes", "Kitchen"]);
        await _s.CallToolAsync(tokens.AccessToken, "wpcom-mcp-posts-search", new { wpcom_site = "garden" });
        await _s.CallToolAsync(tokens.AccessToken, "wpcom-mcp-posts-search", new { wpcom_site = "kitchen" });
        await _s.CallToolAsync(tokens.AccessToken, "wpcom-mcp-user-profile");
        await FlushAndReadAsync();

        var alice = await _s.AliceAsync();
        var doc = TestServer.Parse(await (await alice.GetAsync("/account/activity")).Content.ReadAsStringAsync());
        var rows = doc.QuerySelectorAll("table[data-activity] tbody tr").ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Contains("Test Agent", r.TextContent, StringComparison.Ordinal));
        Assert.Equal("wpcom-mcp-user-profile", rows[0].GetAttribute("data-tool"));
        Assert.Contains(doc.QuerySelectorAll("select[name=client] option"), o => o.GetAttribute("value") == clientId);

        long kitchen;
        await using (var scope = _s.Server.Services.CreateAsyncScope())
            kitchen = scope.ServiceProvider.GetRequiredService<PressDbContext>().Sites.Single(s => s.Slug == "kitchen").Id;
        var filtered = TestServer.Parse(await (await alice.GetAsync($"/account/activity?site={kitchen}")).Content.ReadAsStringAsync());
        var kitchenRows = filtered.QuerySelectorAll("table[data-activity] tbody tr").ToList();
        Assert.Single(kitchenRows);
        Assert.Contains("Kitchen", kitchenRows[0].TextContent, StringComparison.Ordinal);

        // Bob sees none of alice's calls, even asking for everyone's (he is not a server administrator).
        var bob = await _s.Server.SignedInClientAsync("bob", "kitchen secret phrase");
        var bobs = TestServer.Parse(await (await bob.GetAsync("/account/activity?all=true")).Content.ReadAsStringAsync());
        Assert.NotNull(bobs.QuerySelector("[data-empty]"));

        await _s.Server.CreateUserAsync("root", "server admin phrase", serverAdmin: true);
        var root = await _s.Server.SignedInClientAsync("root", "server admin phrase");
        var everyone = TestServer.Parse(await (await root.GetAsync("/account/activity?all=true")).Content.ReadAsStringAsync());
        Assert.Equal(3, everyone.QuerySelectorAll("table[data-activity] tbody tr").Length);
        Assert.Contains("alice", everyone.QuerySelector("table[data-activity] tbody tr")!.TextContent, StringComparison.Ordinal);
        var ownOnly = TestServer.Parse(await (await root.GetAsync("/account/activity")).Content.ReadAsStringAsync());
        Assert.NotNull(ownOnly.QuerySelector("[data-empty]"));
    }

    [Fact]
    public async Task EntriesQueuedAtShutdown_MoreThanOneTransactionsWorth_AreAllWritten_InOrder()
    {
        // A busy second's worth and more still queued when the server stops (no timer tick in between: the test's clock
        // does not move): the final flush writes them all, a transaction of ActivityOptions.BatchSize at a time, the real
        // call's entry first.
        var (_, tokens) = await _s.ConnectAsync(sites: ["Garden Notes"]);
        Assert.Equal(HttpStatusCode.OK, (await _s.CallToolAsync(tokens.AccessToken, "wpcom-mcp-user-profile")).StatusCode);
        var log = _s.Server.Services.GetRequiredService<ActivityLog>();
        var queued = _s.Server.Services.GetRequiredService<ActivityOptions>().BatchSize + 7;
        var now = _s.Clock.GetUtcNow();
        var calls = Enumerable.Range(0, queued).Select(i => CallIds.New(now.AddTicks(i))).ToList();
        foreach (var call in calls)
            log.Record(new ActivityEntry
            {
                CallId = call, AtUtc = now.UtcDateTime, UserId = 1, Endpoint = "wpcom", Tool = "wpcom-mcp-user-profile",
                Ability = "user/profile", Outcome = CallOutcome.Succeeded,
            });

        await _s.Server.StopAsync();

        await using var scope = _s.Server.Services.CreateAsyncScope();
        var written = await scope.ServiceProvider.GetRequiredService<PressDbContext>().ActivityLog.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(queued + 1, written.Count);
        Assert.Equal("wpcom-mcp-user-profile", written[0].Tool);
        Assert.Equal(calls, written.Skip(1).Select(e => e.CallId));
    }

    [Fact]
    public async Task Prune_ByIdOrder_NeverDeletesAnEntryYoungerThanTheRetention()
    {
        // As entries from two instances' flushes can land: an expired entry recorded after a kept one. The log is pruned
        // by id up to the first kept entry, so that one waits, and nothing younger than the retention goes.
        var now = _s.Clock.GetUtcNow().UtcDateTime;
        ActivityEntry Entry(int daysAgo) => new()
        {
            CallId = CallIds.New(_s.Clock.GetUtcNow().AddDays(-daysAgo)), AtUtc = now.AddDays(-daysAgo), UserId = 1, Endpoint = "wpcom",
            Tool = "wpcom-mcp-user-profile", Ability = "user/profile", Outcome = CallOutcome.Succeeded,
        };
        await using (var scope = _s.Server.Services.CreateAsyncScope())
            await ActivityRows.InsertAsync(scope.ServiceProvider.GetRequiredService<PressDbContext>(), [Entry(120), Entry(100), Entry(1), Entry(95), Entry(0)], default);
        var flusher = _s.Server.Services.GetRequiredService<ActivityFlusher>();

        // The server's own flusher prunes on its timer too and may do this work first: what is left is asserted, not
        // which of the two deleted it.
        await flusher.PruneAsync();
        Assert.Equal([1, 95, 0], (await FlushAndReadAsync()).Select(e => (int)Math.Round((now - e.AtUtc).TotalDays)));

        _s.Clock.Advance(TimeSpan.FromDays(90));
        await flusher.PruneAsync();
        Assert.Equal([0], (await FlushAndReadAsync()).Select(e => (int)Math.Round((now - e.AtUtc).TotalDays)));
    }

    [Fact]
    public async Task EntriesOlderThanTheRetentionArePruned()
    {
        var (_, tokens) = await _s.ConnectAsync(sites: ["Garden Notes"]);
        await _s.CallToolAsync(tokens.AccessToken, "wpcom-mcp-user-profile");
        Assert.Single(await FlushAndReadAsync());
        var flusher = _s.Server.Services.GetRequiredService<ActivityFlusher>();

        _s.Clock.Advance(TimeSpan.FromDays(89));
        // The first access token has long expired: connect again for the second call.
        var (_, later) = await _s.ConnectAsync(sites: ["Garden Notes"]);
        await _s.CallToolAsync(later.AccessToken, "wpcom-mcp-user-profile");
        await flusher.PruneAsync();
        Assert.Equal(2, (await FlushAndReadAsync()).Count);

        // As above, the server's flusher may prune first after the clock moves: the state is asserted.
        _s.Clock.Advance(TimeSpan.FromDays(2));
        await flusher.PruneAsync();
        Assert.Single(await FlushAndReadAsync());
    }
}
