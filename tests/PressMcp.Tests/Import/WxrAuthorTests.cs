using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Import;
using PressMcp.Sites;

namespace PressMcp.Tests.Import;

/// <summary>
/// Who the export's authors become: an import never makes an existing account a member of the site. Through the real
/// command where the output matters; the database is checked after each.
/// </summary>
[Trait(Category.Name, Category.Integration)]
[Trait(Category.Name, Category.Storage)]
public sealed class WxrAuthorTests : IAsyncLifetime
{
    private ImportHarness _harness = null!;
    private Site _site = null!;
    private string _file = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await ImportHarness.CreateAsync();
        _site = await _harness.CreateSiteAsync("news");
        _file = _harness.Write("alice.xml", WxrFiles.Wxr(WxrFiles.Alice + WxrFiles.Item(1, "Hers", "hers")));
    }

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    private async Task UserAsync(string login, string? role = null)
    {
        await using var scope = _harness.Services.Scope();
        var made = await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(new NewUser(login, $"{login}@here.example.com", "correct horse battery"));
        Assert.True(made.Succeeded, made.Problem?.Message);
        if (role is null) return;
        var joined = await scope.ServiceProvider.GetRequiredService<SiteDirectory>().SetMemberAsync(_site, login, role);
        Assert.True(joined.Succeeded, joined.Problem?.Message);
    }

    /// <summary>The login of the post's author, and every member of the site with their role.</summary>
    private Task<(string Author, Dictionary<string, string> Members)> StateAsync() => _harness.WithDbAsync(async db =>
    {
        var authorId = await db.Posts.Where(p => p.SiteId == _site.Id).Select(p => p.AuthorId).SingleAsync();
        var author = await db.Users.Where(u => u.Id == authorId).Select(u => u.UserName!).SingleAsync();
        var members = await (from m in db.SiteMembers join u in db.Users on m.UserId equals u.Id where m.SiteId == _site.Id select new { u.UserName, m.Role })
            .ToDictionaryAsync(m => m.UserName!, m => m.Role);
        return (author, members);
    });

    [Fact]
    public async Task ImportWxr_UnknownLogin_CreatesUserAndMakesThemAuthor()
    {
        var r = await CliRunner.RunAsync(_harness.Store, "import", "wxr", _file, "--site", "news");

        Assert.Equal((0, ""), (r.ExitCode, r.Error));
        Assert.Contains("author alice -> alice: new user, made an author of news", r.Out, StringComparison.Ordinal);
        var (author, members) = await StateAsync();
        Assert.Equal("alice", author);
        Assert.Equal("author", members["alice"]);
    }

    [Fact]
    public async Task ImportWxr_LoginOfAMember_UsesThemAndKeepsTheirRole()
    {
        await UserAsync("alice", Roles.Contributor);

        var r = await CliRunner.RunAsync(_harness.Store, "import", "wxr", _file, "--site", "news");

        Assert.Equal((0, ""), (r.ExitCode, r.Error));
        Assert.Contains("author alice -> alice: already a member of news", r.Out, StringComparison.Ordinal);
        var (author, members) = await StateAsync();
        Assert.Equal(("alice", "contributor"), (author, members["alice"]));
    }

    [Fact]
    public async Task ImportWxr_LoginOfANonMember_NeverAddsThemAndCreatesAnotherUser()
    {
        await UserAsync("alice");

        var first = await CliRunner.RunAsync(_harness.Store, "import", "wxr", _file, "--site", "news");
        var again = await CliRunner.RunAsync(_harness.Store, "import", "wxr", _file, "--site", "news");

        Assert.Equal((0, ""), (first.ExitCode, first.Error));
        Assert.Contains("author alice -> alice-2: new user, made an author of news (the export's login belongs to a user who is not a member of news; an import never adds one)", first.Out, StringComparison.Ordinal);
        var (author, members) = await StateAsync();
        Assert.Equal("alice-2", author);
        Assert.False(members.ContainsKey("alice"), "the existing user alice became a member of the site");
        Assert.Equal("author", members["alice-2"]);
        // The existing alice has no role on the site, so no capability there (publishing needs publish_posts).
        await using (var scope = _harness.Services.Scope())
        {
            var sites = await scope.ServiceProvider.GetRequiredService<SiteDirectory>().SitesOfAsync(
                await _harness.WithDbAsync(db => db.Users.Where(u => u.UserName == "alice").Select(u => u.Id).SingleAsync()));
            Assert.Empty(sites);
        }
        // A second import finds the same user again: nothing new.
        Assert.Contains("author alice -> alice-2: already a member of news", again.Out, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^authors\s+0\s+0\s+1$", again.Out);
        Assert.Equal(1, await _harness.WithDbAsync(db => db.Users.CountAsync(u => u.UserName!.StartsWith("alice-"))));
    }

    [Fact]
    public async Task ImportWxr_AuthorMapToAMemberWhoMayWrite_AttributesThePostsToThem()
    {
        await UserAsync("bob", Roles.Editor);
        await UserAsync("alice");

        var r = await CliRunner.RunAsync(_harness.Store, "import", "wxr", _file, "--site", "news", "--author-map", "alice=bob");

        Assert.Equal((0, ""), (r.ExitCode, r.Error));
        Assert.Contains("author alice -> bob: mapped with --author-map", r.Out, StringComparison.Ordinal);
        var (author, members) = await StateAsync();
        Assert.Equal("bob", author);
        Assert.Equal(["bob", "operator"], members.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("alice=nobody", "--author-map alice=nobody: no user 'nobody' on this server")]
    [InlineData("alice=carol", "--author-map alice=carol: 'carol' is not a member of site 'news' (an import never adds anyone to a site)")]
    [InlineData("alice=sam", "--author-map alice=sam: 'sam' is a subscriber of site 'news', who may not write posts")]
    [InlineData("zed=bob", "--author-map zed=bob: alice.xml has no author 'zed'")]
    [InlineData("alice", "--author-map 'alice': expected OLD=NEW (an export login, '=', a login of this server)")]
    public async Task ImportWxr_BadAuthorMap_IsRefusedWithNothingWritten(string map, string error)
    {
        await UserAsync("carol");
        await UserAsync("sam", Roles.Subscriber);
        await UserAsync("bob", Roles.Author);
        var before = await _harness.SnapshotAsync();

        var r = await CliRunner.RunAsync(_harness.Store, "import", "wxr", _file, "--site", "news", "--author-map", map);

        Assert.NotEqual(0, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.Equal("error: " + error, r.Error.Trim());
        Assert.Equal(before, await _harness.SnapshotAsync());
    }
}
