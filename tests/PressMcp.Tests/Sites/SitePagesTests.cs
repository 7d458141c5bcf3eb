using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content.Abilities;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Sites;

/// <summary>
/// The frame of every per-site page (<c>/account/sites/{slug}/…</c>): who gets in, the tabs each role sees, the site
/// switcher; and the path a person's page action takes (<see cref="PersonCalls"/>): the one permission function with
/// the person's role, MCP settings not applying, the activity log naming the person.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class SitePagesTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("alice", "correct horse battery");
        await _server.CreateUserAsync("sam", "correct horse battery");
        await _server.CreateUserAsync("eve", "correct horse battery");
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "create", "--slug", "garden", "--title", "Garden Notes", "--owner", "alice")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "create", "--slug", "kitchen", "--title", "Kitchen", "--owner", "alice")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "add-user", "--site", "garden", "--login", "sam", "--role", "subscriber")).ExitCode);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Dashboard_Administrator_SeesEveryTabAndTheSwitcher()
    {
        var alice = await _server.SignedInClientAsync("alice", "correct horse battery");
        var page = TestServer.Parse(await alice.GetStringAsync("/account/sites/garden"));
        var tabs = page.QuerySelectorAll("nav.site-tabs a").Select(a => a.TextContent).ToList();
        Assert.Equal(["Dashboard", "Posts", "Pages", "Media", "Comments", "Categories", "Tags", "Members", "Settings"], tabs);
        Assert.Equal("page", page.QuerySelector("nav.site-tabs a[href='/account/sites/garden']")!.GetAttribute("aria-current"));
        var switcher = page.QuerySelectorAll("details.switcher a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["/account/sites/garden", "/account/sites/kitchen"], switcher);
    }

    [Fact]
    public async Task Dashboard_Subscriber_SeesOnlyTheDashboard_AndNoSwitcherForOneSite()
    {
        var sam = await _server.SignedInClientAsync("sam", "correct horse battery");
        var page = TestServer.Parse(await sam.GetStringAsync("/account/sites/garden"));
        Assert.Equal(["Dashboard"], page.QuerySelectorAll("nav.site-tabs a").Select(a => a.TextContent));
        Assert.Null(page.QuerySelector("details.switcher"));
        Assert.Contains("subscriber", page.QuerySelector(".site-name")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_NonMemberOrUnknownSiteOrId_IsNotFound_AndSignInIsNeeded()
    {
        var eve = await _server.SignedInClientAsync("eve", "correct horse battery");
        Assert.Equal(HttpStatusCode.NotFound, (await eve.GetAsync("/account/sites/garden")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.GetAsync("/account/sites/nowhere")).StatusCode);
        var alice = await _server.SignedInClientAsync("alice", "correct horse battery");
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync("/account/sites/1")).StatusCode);
        var anonymous = await _server.CreateClient().GetAsync("/account/sites/garden");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/login", anonymous.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PersonCall_IsDecidedByRole_NotByMcpSettings_AndLoggedWithThePerson()
    {
        // Alice never turned MCP on: her agents could do nothing, she herself can write.
        using var scope = _server.Services.CreateScope();
        var sites = scope.ServiceProvider.GetRequiredService<SiteResolver>();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var calls = scope.ServiceProvider.GetRequiredService<PersonCalls>();
        var garden = (await sites.ResolveAsync("garden")).Value!;
        var aliceId = await db.Users.Where(u => u.UserName == "alice").Select(u => u.Id).SingleAsync();
        var samId = await db.Users.Where(u => u.UserName == "sam").Select(u => u.Id).SingleAsync();

        var created = await calls.RunAsync(new SiteActor(aliceId, false, Roles.Administrator), garden, PostWriteAbilities.CreatePost,
            new JsonObject { ["title"] = "Written by hand", ["status"] = "publish" }, "editor: publish", default);
        Assert.True(created.Succeeded, created.Message);

        var refused = await calls.RunAsync(new SiteActor(samId, false, Roles.Subscriber), garden, PostWriteAbilities.CreatePost,
            new JsonObject { ["title"] = "Not allowed" }, "editor: save draft", default);
        Assert.Equal(CallOutcome.Refused, refused.Outcome);
        Assert.Contains("edit_posts", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, await db.Posts.CountAsync(p => p.SiteId == garden.Id && p.Type == "post"));

        await _server.Services.GetRequiredService<PressMcp.Activity.ActivityFlusher>().FlushAsync();
        var entries = await db.ActivityLog.AsNoTracking().Where(a => a.SiteId == garden.Id).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal([(aliceId, "editor: publish", CallOutcome.Succeeded), (samId, "editor: save draft", CallOutcome.Refused)],
            entries.Select(e => (e.UserId, e.Tool, e.Outcome)));
        Assert.All(entries, e => Assert.Equal((PersonCalls.Endpoint, (string?)null), (e.Endpoint, e.Client)));
    }
}
