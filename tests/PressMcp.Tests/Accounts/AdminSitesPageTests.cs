using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Media;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Accounts;

/// <summary><c>/account/admin/sites</c>: create, rename, set the host name, delete with the typed slug; 404 for anyone else.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class AdminSitesPageTests : IAsyncLifetime
{
    private const string RootPassword = "operator passphrase";
    private const string Page = "/account/admin/sites";
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync()
    {
        _s = await OAuthTestServer.StartAsync();
        await _s.Server.CreateUserAsync("root", RootPassword, serverAdmin: true);
    }

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task SitesPage_NonAdministrator_Gets404_AndChangesNothing()
    {
        var alice = await _s.AliceAsync();
        var garden = (await SiteAsync("garden"))!.Id.ToString(CultureInfo.InvariantCulture);
        foreach (var (handler, fields) in new (string, Dictionary<string, string>)[]
        {
            ("Rename", new() { ["id"] = garden, ["title"] = "Taken over" }),
            ("Host", new() { ["id"] = garden, ["hostName"] = "evil.example" }),
            ("Delete", new() { ["id"] = garden, ["confirm"] = "garden" }),
            ("Create", new() { ["title"] = "Mine", ["slug"] = "mine", ["owner"] = "alice" }),
        })
            Assert.Equal(HttpStatusCode.NotFound, (await TestServer.PostFormAsync(alice, $"{Page}?handler={handler}", fields, "/account/profile")).StatusCode);
        var site = await SiteAsync("garden");
        Assert.Equal(("Garden Notes", (string?)null), (site!.Title, site.HostName));
        Assert.Null(await SiteAsync("mine"));
    }

    [Fact]
    public async Task SitesPage_Administrator_CreatesRenamesSetsHostAndDeletesWithTheTypedSlug()
    {
        var root = await _s.Server.SignedInClientAsync("root", RootPassword);
        var list = TestServer.Parse(await root.GetStringAsync(Page));
        Assert.Equal(["garden", "kitchen"], list.QuerySelectorAll("tr[data-site]").Select(r => r.GetAttribute("data-site")));
        Assert.Equal("1", list.QuerySelector("tr[data-site=garden] td[data-label=Members]")!.TextContent);

        var created = await TestServer.PostFormAsync(root, $"{Page}?handler=Create",
            new() { ["title"] = "Patio", ["slug"] = "patio", ["timeZone"] = "Europe/Paris", ["hostName"] = "", ["owner"] = "bob" }, Page);
        Assert.Equal("Created the site Patio (patio), with bob as its administrator.", await MessageAsync(root, created, "status"));
        var patio = (await SiteAsync("patio"))!;
        Assert.Equal("Europe/Paris", patio.TimeZone);
        var id = patio.Id.ToString(CultureInfo.InvariantCulture);

        Assert.Equal("Renamed patio to Patio Life.", await MessageAsync(root, await TestServer.PostFormAsync(root, $"{Page}?handler=Rename", new() { ["id"] = id, ["title"] = " Patio Life " }, Page), "status"));
        Assert.Equal("The title is empty.", await MessageAsync(root, await TestServer.PostFormAsync(root, $"{Page}?handler=Rename", new() { ["id"] = id, ["title"] = " " }, Page), "alert"));
        Assert.Equal("Patio Life is now served at patio.example.", await MessageAsync(root, await TestServer.PostFormAsync(root, $"{Page}?handler=Host", new() { ["id"] = id, ["hostName"] = "Patio.Example" }, Page), "status"));
        var garden = (await SiteAsync("garden"))!.Id.ToString(CultureInfo.InvariantCulture);
        Assert.Equal("The host name 'patio.example' is already used by another site.",
            await MessageAsync(root, await TestServer.PostFormAsync(root, $"{Page}?handler=Host", new() { ["id"] = garden, ["hostName"] = "patio.example" }, Page), "alert"));
        Assert.Null((await SiteAsync("garden"))!.HostName);

        // Content and a media file, to see both go.
        string mediaDirectory;
        using (var scope = _s.Server.Services.CreateScope())
        {
            Assert.True((await new ContentSeed(scope.ServiceProvider).CreateAsync(patio, new NewPost { Title = "Chairs", Status = PostStatuses.Publish })).Succeeded);
            mediaDirectory = Path.Combine(scope.ServiceProvider.GetRequiredService<MediaStorage>().Root, id);
            Directory.CreateDirectory(Path.Combine(mediaDirectory, "2026", "01"));
            await File.WriteAllBytesAsync(Path.Combine(mediaDirectory, "2026", "01", "chair.png"), [1, 2, 3]);
        }
        Assert.Equal("Type the site's slug 'patio' to confirm the deletion.",
            await MessageAsync(root, await TestServer.PostFormAsync(root, $"{Page}?handler=Delete", new() { ["id"] = id, ["confirm"] = "Patio" }, Page), "alert"));
        Assert.NotNull(await SiteAsync("patio"));
        Assert.True(Directory.Exists(mediaDirectory));

        Assert.Equal("Deleted the site Patio Life (patio) with all its content and media.",
            await MessageAsync(root, await TestServer.PostFormAsync(root, $"{Page}?handler=Delete", new() { ["id"] = id, ["confirm"] = "patio" }, Page), "status"));
        Assert.Null(await SiteAsync("patio"));
        Assert.False(Directory.Exists(mediaDirectory));
        using var check = _s.Server.Services.CreateScope();
        var db = check.ServiceProvider.GetRequiredService<PressDbContext>();
        Assert.False(await db.Posts.AnyAsync(p => p.SiteId == patio.Id));
        Assert.False(await db.SiteMembers.AnyAsync(m => m.SiteId == patio.Id));
        await _s.Server.Services.GetRequiredService<PressMcp.Activity.ActivityFlusher>().FlushAsync();
        Assert.Equal(["admin/site-create", "admin/site-rename", "admin/site-rename", "admin/site-set-host", "admin/site-delete", "admin/site-delete"],
            await db.ActivityLog.AsNoTracking().Where(a => a.SiteId == patio.Id).OrderBy(a => a.Id).Select(a => a.Ability).ToListAsync());
    }

    private static async Task<string> MessageAsync(HttpClient client, HttpResponseMessage posted, string role)
    {
        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        return TestServer.Parse(await client.GetStringAsync(posted.Headers.Location!.ToString())).QuerySelector($"[role={role}]")!.TextContent;
    }

    private async Task<Site?> SiteAsync(string slug)
    {
        using var scope = _s.Server.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<PressDbContext>().Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Slug == slug);
    }
}
