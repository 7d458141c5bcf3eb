using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Activity;
using PressMcp.Content;
using PressMcp.OAuth.Model;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Accounts;

/// <summary>
/// <c>/account/admin/users</c>: what a server administrator does to accounts (create, search and page, reset a password,
/// grant or remove server administration, delete with the content reassigned), the rules that hold (never the last
/// server administrator, never oneself), and that anyone else gets 404 and changes nothing.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class AdminUsersPageTests : IAsyncLifetime
{
    private const string RootPassword = "operator passphrase";
    private const string Page = "/account/admin/users";
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync()
    {
        // alice: administrator of garden, contributor on kitchen; bob: administrator of kitchen.
        _s = await OAuthTestServer.StartAsync();
        await _s.Server.CreateUserAsync("root", RootPassword, serverAdmin: true);
    }

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task UsersPage_NonAdministrator_Gets404_AndChangesNothing()
    {
        var alice = await _s.AliceAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync(Page)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync("/account/admin/sites")).StatusCode);
        var bobId = await IdOf("bob");
        foreach (var (handler, fields) in new (string, Dictionary<string, string>)[]
        {
            ("Disable", new() { ["id"] = bobId }),
            ("ResetPassword", new() { ["id"] = bobId, ["password"] = "a brand new phrase" }),
            ("ServerAdmin", new() { ["id"] = await IdOf("alice"), ["grant"] = "true" }),
            ("Delete", new() { ["id"] = bobId, ["heir"] = "alice", ["confirm"] = "bob" }),
            ("Create", new() { ["login"] = "mallory", ["email"] = "m@example.com", ["password"] = "a brand new phrase" }),
        })
        {
            var response = await TestServer.PostFormAsync(alice, $"{Page}?handler={handler}", fields, "/account/profile");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        using var scope = _s.Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var bob = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "bob");
        Assert.Null(bob.DisabledUtc);
        Assert.False(await db.Users.AnyAsync(u => u.UserName == "mallory"));
        Assert.False(await db.Users.AnyAsync(u => u.UserName == "alice" && u.IsServerAdmin));
        Assert.True((await _s.Server.Services.CreateScope().ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<User>>().CheckPasswordAsync(bob, "kitchen secret phrase")));
    }

    [Fact]
    public async Task UsersPage_Administrator_CreatesSearchesAndPages_AndTheLogNamesThem()
    {
        var root = await RootAsync();
        var created = await TestServer.PostFormAsync(root, $"{Page}?handler=Create", new()
        {
            ["login"] = "carol", ["email"] = "carol@example.com", ["displayName"] = "Carol Writer", ["password"] = "a long phrase for her", ["serverAdmin"] = "false",
        }, Page);
        Assert.Equal(HttpStatusCode.SeeOther, created.StatusCode);
        var listed = TestServer.Parse(await root.GetStringAsync(created.Headers.Location!.ToString()));
        Assert.Contains("Created the user carol", listed.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Carol Writer", listed.QuerySelector("tr[data-user=carol]")!.TextContent, StringComparison.Ordinal);
        await _s.Server.SignedInClientAsync("carol", "a long phrase for her");

        var taken = await TestServer.PostFormAsync(root, $"{Page}?handler=Create", new() { ["login"] = "dave", ["email"] = "carol@example.com", ["password"] = "a long phrase for him" }, Page);
        var refusal = TestServer.Parse(await root.GetStringAsync(taken.Headers.Location!.ToString()));
        Assert.Equal("A user with the e-mail 'carol@example.com' already exists.", refusal.QuerySelector("[role=alert]")!.TextContent);

        // 60 more users: a search narrows the list, and the list comes in pages of 50.
        using (var scope = _s.Server.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            for (var i = 0; i < 60; i++)
            {
                var login = "reader" + i.ToString("D2", CultureInfo.InvariantCulture);
                db.Users.Add(new User { UserName = login, NormalizedUserName = login.ToUpperInvariant(), Email = login + "@example.com", NormalizedEmail = (login + "@example.com").ToUpperInvariant(), DisplayName = "Reader " + i.ToString(CultureInfo.InvariantCulture), SecurityStamp = Guid.NewGuid().ToString() });
            }
            await db.SaveChangesAsync();
        }
        var search = TestServer.Parse(await root.GetStringAsync(Page + "?q=WRITER"));
        Assert.Equal(["carol"], search.QuerySelectorAll("tr[data-user]").Select(r => r.GetAttribute("data-user")));
        var first = TestServer.Parse(await root.GetStringAsync(Page));
        Assert.Equal(50, first.QuerySelectorAll("tr[data-user]").Length);
        Assert.Equal($"{Page}?p=2", first.QuerySelector("nav.pager a")!.GetAttribute("href"));
        var second = TestServer.Parse(await root.GetStringAsync(Page + "?p=2"));
        Assert.Equal(64 - 50, second.QuerySelectorAll("tr[data-user]").Length);

        await _s.Server.Services.GetRequiredService<ActivityFlusher>().FlushAsync();
        using var check = _s.Server.Services.CreateScope();
        var log = await check.ServiceProvider.GetRequiredService<PressDbContext>().ActivityLog.AsNoTracking().Where(a => a.Ability == "admin/user-create").OrderBy(a => a.Id).ToListAsync();
        Assert.Equal([(CallOutcome.Succeeded, "login=carol"), (CallOutcome.Failed, "login=dave")], log.Select(a => (a.Outcome, a.Arguments)));
        var rootId = long.Parse(await IdOf("root"), CultureInfo.InvariantCulture);
        Assert.All(log, a => Assert.Equal((rootId, "web", "admin: create user"), (a.UserId, a.Endpoint, a.Tool)));
        // People's entries get time-ordered ids like the agents' calls (Activity/CallIds), not random ones.
        Assert.All(log, a => Assert.Equal(7, a.CallId.Version));
    }

    [Fact]
    public async Task ResetPassword_Generated_IsShownOnce_SignsIn_AndClearsTheLock()
    {
        using (var scope = _s.Server.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            await db.Users.Where(u => u.UserName == "bob").ExecuteUpdateAsync(u => u.SetProperty(x => x.LockoutEnd, DateTimeOffset.UtcNow.AddHours(1)));
        }
        var root = await RootAsync();
        var reset = await TestServer.PostFormAsync(root, $"{Page}?handler=ResetPassword", new() { ["id"] = await IdOf("bob"), ["password"] = "" }, Page);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.True(reset.Headers.CacheControl!.NoStore);
        var password = TestServer.Parse(await reset.Content.ReadAsStringAsync()).QuerySelector("[data-generated-password] code")!.TextContent;
        Assert.Equal(20, password.Length);
        Assert.DoesNotContain(password, await root.GetStringAsync(Page), StringComparison.Ordinal);
        var bob = await _s.Server.SignedInClientAsync("bob", password);
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/account")).StatusCode);

        var typed = await TestServer.PostFormAsync(root, $"{Page}?handler=ResetPassword", new() { ["id"] = await IdOf("bob"), ["password"] = "a typed phrase for him" }, Page);
        Assert.Equal(HttpStatusCode.SeeOther, typed.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await bob.GetAsync("/account")).StatusCode);
        await _s.Server.SignedInClientAsync("bob", "a typed phrase for him");
    }

    [Fact]
    public async Task ServerAdministration_LastOneAndOneselfAreProtected()
    {
        var root = await RootAsync();
        var rootId = await IdOf("root");
        foreach (var (handler, fields, message) in new (string, Dictionary<string, string>, string)[]
        {
            ("ServerAdmin", new() { ["id"] = rootId, ["grant"] = "false" }, "'root' is the last enabled server administrator; make someone else server administrator first."),
            ("Disable", new() { ["id"] = rootId }, "You cannot disable your own account."),
            ("Delete", new() { ["id"] = rootId, ["heir"] = "alice", ["confirm"] = "root" }, "You cannot delete your own account."),
        })
        {
            var refused = await TestServer.PostFormAsync(root, $"{Page}?handler={handler}", fields, Page);
            var page = TestServer.Parse(await root.GetStringAsync(refused.Headers.Location!.ToString()));
            Assert.Equal(message, page.QuerySelector("[role=alert]")!.TextContent);
        }
        using (var scope = _s.Server.Services.CreateScope())
        {
            var me = await scope.ServiceProvider.GetRequiredService<PressDbContext>().Users.AsNoTracking().SingleAsync(u => u.UserName == "root");
            Assert.Equal((true, (DateTime?)null), (me.IsServerAdmin, me.DisabledUtc));
        }

        // With alice made a server administrator too, root may step down; the header's links follow at once.
        await TestServer.PostFormAsync(root, $"{Page}?handler=ServerAdmin", new() { ["id"] = await IdOf("alice"), ["grant"] = "true" }, Page);
        var alice = await _s.AliceAsync();
        Assert.NotNull(TestServer.Parse(await alice.GetStringAsync("/account")).QuerySelector("header a[href='/account/admin/users']"));
        var stepDown = await TestServer.PostFormAsync(root, $"{Page}?handler=ServerAdmin", new() { ["id"] = rootId, ["grant"] = "false" }, Page);
        Assert.Equal("/account", stepDown.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await root.GetAsync(Page)).StatusCode);
        Assert.Null(TestServer.Parse(await root.GetStringAsync("/account")).QuerySelector("header a[href='/account/admin/users']"));
    }

    [Fact]
    public async Task Delete_ReassignsPostsOnEverySite_AndRemovesMembershipsGrantsAndAppPasswords()
    {
        var (_, tokens) = await _s.ConnectAsync();
        await AdapterCalls.CreatePasswordAsync(_s.Server.Store, "alice", "Laptop");
        long aliceId = long.Parse(await IdOf("alice"), CultureInfo.InvariantCulture), bobId = long.Parse(await IdOf("bob"), CultureInfo.InvariantCulture);
        using (var scope = _s.Server.Services.CreateScope())
        {
            var sites = scope.ServiceProvider.GetRequiredService<SiteResolver>();
            var seed = new ContentSeed(scope.ServiceProvider);
            var garden = (await sites.ResolveAsync("garden")).Value!;
            var kitchen = (await sites.ResolveAsync("kitchen")).Value!;
            Assert.True((await seed.CreateAsync(garden, new NewPost { Title = "Tomatoes", Status = PostStatuses.Publish, AuthorId = aliceId })).Succeeded);
            Assert.True((await seed.CreateAsync(garden, new NewPost { Title = "About", Type = PostTypes.Page, Status = PostStatuses.Publish, AuthorId = aliceId })).Succeeded);
            Assert.True((await seed.CreateAsync(kitchen, new NewPost { Title = "Soup draft", AuthorId = aliceId })).Succeeded);
        }
        var root = await RootAsync();

        var unconfirmed = await TestServer.PostFormAsync(root, $"{Page}?handler=Delete", new() { ["id"] = aliceId.ToString(CultureInfo.InvariantCulture), ["heir"] = "bob", ["confirm"] = "alic" }, Page);
        Assert.Equal("Type the login 'alice' to confirm the deletion.", TestServer.Parse(await root.GetStringAsync(unconfirmed.Headers.Location!.ToString())).QuerySelector("[role=alert]")!.TextContent);
        Assert.Equal(HttpStatusCode.OK, (await _s.CallAsync(tokens.AccessToken)).StatusCode);

        var deleted = await TestServer.PostFormAsync(root, $"{Page}?handler=Delete", new() { ["id"] = aliceId.ToString(CultureInfo.InvariantCulture), ["heir"] = "bob", ["confirm"] = "alice" }, Page);
        var notice = TestServer.Parse(await root.GetStringAsync(deleted.Headers.Location!.ToString())).QuerySelector("[role=status]")!.TextContent;
        Assert.Equal("Deleted alice; 3 posts and pages are now by bob. bob is now administrator of garden, which had no other administrator.", notice);

        using var check = _s.Server.Services.CreateScope();
        var db = check.ServiceProvider.GetRequiredService<PressDbContext>();
        Assert.False(await db.Users.AnyAsync(u => u.Id == aliceId));
        var posts = await db.Posts.AsNoTracking().Where(p => p.Type == "post" || p.Type == "page").Select(p => new { p.Title, p.AuthorId }).ToListAsync();
        Assert.Equal(3, posts.Count(p => p.AuthorId == bobId));
        Assert.DoesNotContain(posts, p => p.AuthorId == aliceId);
        Assert.False(await db.SiteMembers.AnyAsync(m => m.UserId == aliceId));
        Assert.Equal(Roles.Administrator, await db.SiteMembers.Where(m => m.UserId == bobId && m.SiteId == db.Sites.Single(s => s.Slug == "garden").Id).Select(m => m.Role).SingleAsync());
        Assert.False(await db.OAuthGrants.AnyAsync(g => g.UserId == aliceId));
        Assert.False(await db.OAuthTokens.AnyAsync(t => t.UserId == aliceId));
        Assert.False(await db.Set<PressMcp.Accounts.AppPasswords.AppPassword>().AnyAsync(p => p.UserId == aliceId));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _s.CallAsync(tokens.AccessToken)).StatusCode);
    }

    private Task<HttpClient> RootAsync() => _s.Server.SignedInClientAsync("root", RootPassword);

    private async Task<string> IdOf(string login)
    {
        using var scope = _s.Server.Services.CreateScope();
        var id = await scope.ServiceProvider.GetRequiredService<PressDbContext>().Users.Where(u => u.UserName == login).Select(u => u.Id).SingleAsync();
        return id.ToString(CultureInfo.InvariantCulture);
    }
}
