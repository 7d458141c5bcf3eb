using System.Net;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Activity;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Sites;

/// <summary>
/// <c>/account/sites/{slug}/members</c>: the list for administrators (and a server administrator who is not a member,
/// WordPress's super admin), adding by login or e-mail, changing a role and removing through the abilities, the last
/// administrator kept, and every other role refused with nothing changed.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class MembersPageTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private const string Members = "/account/sites/garden/members";
    // A page every signed-in person may open, for the antiforgery token of a POST the person cannot reach by GET.
    private const string AnyForm = "/account/app-passwords";
    private TestServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        foreach (var login in new[] { "alice", "ed", "ann", "sam", "newbie" }) await _server.CreateUserAsync(login, Password);
        await _server.CreateUserAsync("root", Password, serverAdmin: true);
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "create", "--slug", "garden", "--title", "Garden Notes", "--owner", "alice")).ExitCode);
        foreach (var (login, role) in new[] { ("ed", "editor"), ("ann", "author"), ("sam", "subscriber") })
            Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "add-user", "--site", "garden", "--login", login, "--role", role)).ExitCode);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task<T> DbAsync<T>(Func<PressDbContext, Task<T>> body)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await body(scope.ServiceProvider.GetRequiredService<PressDbContext>());
    }

    private Task<Dictionary<string, string>> RolesAsync() => DbAsync(db =>
        (from m in db.SiteMembers join u in db.Users on m.UserId equals u.Id join s in db.Sites on m.SiteId equals s.Id
         where s.Slug == "garden" select new { u.UserName, m.Role }).ToDictionaryAsync(x => x.UserName!, x => x.Role));

    private static async Task<string> FollowAsync(HttpClient client, HttpResponseMessage posted)
    {
        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        Assert.Equal(Members, posted.Headers.Location!.ToString());
        return await client.GetStringAsync(Members);
    }

    [Fact]
    public async Task List_Administrator_SeesLoginNameEmailAndRoleOfEveryMember()
    {
        var alice = await _server.SignedInClientAsync("alice", Password);
        var page = TestServer.Parse(await alice.GetStringAsync(Members));
        var rows = page.QuerySelectorAll("table.members tbody tr")
            .Select(r => r.QuerySelectorAll("td").Take(4).Select(td => td.TextContent.Trim()).ToList()).ToList();
        Assert.Equal(["alice", "ann", "ed", "sam"], rows.Select(r => r[0]));
        Assert.Equal(["alice@example.com", "administrator (the last administrator)"], rows[0].Skip(2));
        Assert.Equal(["sam@example.com", "subscriber"], rows[3].Skip(2));
        Assert.NotNull(page.QuerySelector("form.member-add input[name=user]"));
    }

    [Fact]
    public async Task Add_ByEmail_ThenChangeRole_ThenRemove_ThroughAbilities_LoggedWithThePerson()
    {
        var alice = await _server.SignedInClientAsync("alice", Password);
        var added = await FollowAsync(alice, await TestServer.PostFormAsync(alice, Members + "?handler=Add", new() { ["user"] = "Newbie@Example.com", ["role"] = "author" }, Members));
        Assert.Equal("Added newbie as author.", TestServer.Parse(added).QuerySelector("p.notice")!.TextContent);
        Assert.Equal("author", (await RolesAsync())["newbie"]);

        var changed = await FollowAsync(alice, await TestServer.PostFormAsync(alice, Members + "?handler=Role", new() { ["login"] = "newbie", ["role"] = "editor" }, Members));
        Assert.Equal("newbie is now editor.", TestServer.Parse(changed).QuerySelector("p.notice")!.TextContent);
        Assert.Equal("editor", (await RolesAsync())["newbie"]);

        var removed = await FollowAsync(alice, await TestServer.PostFormAsync(alice, Members + "?handler=Remove", new() { ["login"] = "newbie" }, Members));
        Assert.Equal("Removed newbie from Garden Notes.", TestServer.Parse(removed).QuerySelector("p.notice")!.TextContent);
        Assert.DoesNotContain("newbie", (await RolesAsync()).Keys);

        await _server.Services.GetRequiredService<ActivityFlusher>().FlushAsync();
        var aliceId = await DbAsync(db => db.Users.Where(u => u.UserName == "alice").Select(u => u.Id).SingleAsync());
        var log = await DbAsync(db => db.ActivityLog.AsNoTracking().Where(a => a.UserId == aliceId).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal([("members: add", "site/add-member"), ("members: change role", "site/update-member-role"), ("members: remove", "site/remove-member")],
            log.Select(a => (a.Tool, a.Ability)));
        Assert.All(log, a => Assert.Equal((PersonCalls.Endpoint, CallOutcome.Succeeded), (a.Endpoint, a.Outcome)));
        var changes = await DbAsync(db => db.ChangeRecords.AsNoTracking().Where(c => c.ObjectType == SiteDirectory.MemberObjectType).OrderBy(c => c.Id).ToListAsync());
        Assert.Equal([("create", null), ("update", "{\"role\":\"author\"}"), ("delete", "{\"role\":\"editor\"}")], changes.Select(c => (c.Action, c.Before)));
    }

    [Fact]
    public async Task Add_UnknownUserOrExistingMember_SaysWhy_NothingChanges()
    {
        var alice = await _server.SignedInClientAsync("alice", Password);
        var before = await RolesAsync();
        var unknown = await FollowAsync(alice, await TestServer.PostFormAsync(alice, Members + "?handler=Add", new() { ["user"] = "ghost@example.com", ["role"] = "author" }, Members));
        Assert.Equal("No user with the login or e-mail address 'ghost@example.com'.", TestServer.Parse(unknown).QuerySelector("p.error")!.TextContent);
        var existing = await FollowAsync(alice, await TestServer.PostFormAsync(alice, Members + "?handler=Add", new() { ["user"] = "sam", ["role"] = "editor" }, Members));
        Assert.StartsWith("'sam' is already a member of 'garden' (subscriber)", TestServer.Parse(existing).QuerySelector("p.error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(before, await RolesAsync());
    }

    [Fact]
    public async Task LastAdministrator_CannotBeDemotedOrRemoved_NothingChanges()
    {
        var alice = await _server.SignedInClientAsync("alice", Password);
        var demoted = await FollowAsync(alice, await TestServer.PostFormAsync(alice, Members + "?handler=Role", new() { ["login"] = "alice", ["role"] = "editor" }, Members));
        Assert.Equal("'alice' is the last administrator of 'garden'; make someone else administrator first.", TestServer.Parse(demoted).QuerySelector("p.error")!.TextContent);
        var removed = await FollowAsync(alice, await TestServer.PostFormAsync(alice, Members + "?handler=Remove", new() { ["login"] = "alice" }, Members));
        Assert.Contains("is the last administrator of 'garden' and cannot be removed", TestServer.Parse(removed).QuerySelector("p.error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("administrator", (await RolesAsync())["alice"]);

        // With a second administrator, the first may step down.
        await FollowAsync(alice, await TestServer.PostFormAsync(alice, Members + "?handler=Role", new() { ["login"] = "ed", ["role"] = "administrator" }, Members));
        var stepDown = await TestServer.PostFormAsync(alice, Members + "?handler=Role", new() { ["login"] = "alice", ["role"] = "editor" }, Members);
        Assert.Equal(HttpStatusCode.SeeOther, stepDown.StatusCode);
        // An editor now: the page is no longer hers.
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync(Members)).StatusCode);
        Assert.Equal(("editor", "administrator"), ((await RolesAsync())["alice"], (await RolesAsync())["ed"]));
    }

    [Theory]
    [InlineData("ed")]
    [InlineData("ann")]
    [InlineData("sam")]
    public async Task OtherRoles_AreRefused_ListAndEveryAction_NothingChanges(string login)
    {
        var client = await _server.SignedInClientAsync(login, Password);
        var before = await RolesAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(Members)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await TestServer.PostFormAsync(client, Members + "?handler=Add", new() { ["user"] = "newbie", ["role"] = "administrator" }, AnyForm)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await TestServer.PostFormAsync(client, Members + "?handler=Role", new() { ["login"] = login, ["role"] = "administrator" }, AnyForm)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await TestServer.PostFormAsync(client, Members + "?handler=Remove", new() { ["login"] = "alice" }, AnyForm)).StatusCode);
        Assert.Equal(before, await RolesAsync());
        // Nor do they see the tab that would lead to the refusal.
        Assert.Null(TestServer.Parse(await client.GetStringAsync("/account/sites/garden")).QuerySelector($"nav.site-tabs a[href='{Members}']"));
    }

    [Fact]
    public async Task ServerAdministrator_NotAMember_ManagesMembers_AsSuperAdmin()
    {
        var root = await _server.SignedInClientAsync("root", Password);
        Assert.Equal(HttpStatusCode.OK, (await root.GetAsync(Members)).StatusCode);
        await FollowAsync(root, await TestServer.PostFormAsync(root, Members + "?handler=Add", new() { ["user"] = "newbie", ["role"] = "contributor" }, Members));
        await FollowAsync(root, await TestServer.PostFormAsync(root, Members + "?handler=Role", new() { ["login"] = "sam", ["role"] = "author" }, Members));
        var roles = await RolesAsync();
        Assert.Equal(("contributor", "author"), (roles["newbie"], roles["sam"]));
        Assert.DoesNotContain("root", roles.Keys);
    }

    [Fact]
    public async Task List_IsPaged_FiftyAPage()
    {
        await DbAsync(async db =>
        {
            var site = await db.Sites.SingleAsync(s => s.Slug == "garden");
            for (var i = 0; i < 52; i++)
            {
                var login = $"z{i:00}";
                var user = new User { UserName = login, NormalizedUserName = login.ToUpperInvariant(), Email = $"{login}@example.com", NormalizedEmail = $"{login}@EXAMPLE.COM", SecurityStamp = Guid.NewGuid().ToString() };
                db.Users.Add(user);
                await db.SaveChangesAsync();
                db.SiteMembers.Add(new SiteMember { SiteId = site.Id, UserId = user.Id, Role = Roles.Subscriber });
            }
            return await db.SaveChangesAsync();
        });
        var alice = await _server.SignedInClientAsync("alice", Password);
        var first = TestServer.Parse(await alice.GetStringAsync(Members));
        Assert.Equal(MembersModelPageSize, first.QuerySelectorAll("table.members tbody tr").Length);
        Assert.Contains("Page 1 of 2", first.QuerySelector("nav.pager")!.TextContent, StringComparison.Ordinal);
        var second = TestServer.Parse(await alice.GetStringAsync(Members + "?p=2"));
        Assert.Equal(["z46", "z47", "z48", "z49", "z50", "z51"], second.QuerySelectorAll("table.members tbody tr").Select(r => r.QuerySelector("td")!.TextContent));
    }

    private const int MembersModelPageSize = PressMcp.Sites.Pages.MembersModel.PageSize;
}
