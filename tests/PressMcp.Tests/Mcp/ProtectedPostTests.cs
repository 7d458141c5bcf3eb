using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Activity;
using PressMcp.Content;
using PressMcp.Content.Abilities;
using PressMcp.Content.Authoring;
using PressMcp.Storage;
using PressMcp.Abilities;

namespace PressMcp.Tests.Mcp;

/// <summary>
/// A password-protected post through the real endpoints, as WordPress shows it: its content, excerpt and comments only
/// to those who may edit it or who give its password; to others (a contributor of the site, a visitor) its title, and
/// searches do not find it by words only its hidden parts hold.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class ProtectedPostTests : IAsyncLifetime
{
    private const string Password = "open sesame";
    private AbilityHarness _h = null!;
    private long _locked, _adasLocked;

    public async ValueTask InitializeAsync()
    {
        _h = await AbilityHarness.StartAsync();
        await _h.AddMemberAsync("carl", "garden", Roles.Contributor);
        await _h.AddMemberAsync("ada", "garden", Roles.Author);
        foreach (var login in new[] { "alice", "carl", "ada" }) await _h.EnableAsync(login);
        var alice = await _h.UserIdAsync("alice");
        var ada = await _h.UserIdAsync("ada");
        await using var scope = _h.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var garden = await db.Sites.SingleAsync(s => s.Slug == "garden");
        var writer = new ContentSeed(scope.ServiceProvider);
        _locked = (await writer.CreateAsync(garden, new NewPost { Title = "Lighthouse diary", Content = "The keeper hides a zeppelin.", Excerpt = "A quiet zeppelin", Status = PostStatuses.Publish, AuthorId = alice })).Value!.Id;
        _adasLocked = (await writer.CreateAsync(garden, new NewPost { Title = "Ada's lighthouse", Content = "Ada's zeppelin.", Status = PostStatuses.Publish, AuthorId = ada })).Value!.Id;
        await writer.CreateAsync(garden, new NewPost { Title = "Zeppelin history", Content = "Airships.", Status = PostStatuses.Publish, AuthorId = alice });
        await db.Posts.Where(p => p.SiteId == garden.Id && (p.Id == _locked || p.Id == _adasLocked)).ExecuteUpdateAsync(s => s.SetProperty(p => p.Password, Password));
        var sequences = scope.ServiceProvider.GetRequiredService<SiteSequences>();
        db.Comments.Add(new Comment
        {
            SiteId = garden.Id, Id = await sequences.NextCommentIdsAsync(garden.Id), PostId = _locked, AuthorName = "Keeper",
            Content = "The zeppelin lands at dawn", Status = CommentStatuses.Approved, DateUtc = DateTime.UtcNow,
        });
        await db.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task PostGet_AsAContributor_HidesContentExcerptAndComments()
    {
        var post = await _h.OkAsync("carl", PostGetAbility.Name, new { post_id = _locked, include_comments = true });
        Assert.Equal("Lighthouse diary", post.GetProperty("title").GetString());
        Assert.True(post.GetProperty("protected").GetBoolean());
        Assert.Equal("", post.GetProperty("content").GetString());
        Assert.Equal("", post.GetProperty("excerpt").GetString());
        Assert.Equal(0, post.GetProperty("comments").GetArrayLength());
    }

    [Fact]
    public async Task PostGet_WithThePassword_ShowsContentAndComments()
    {
        var post = await _h.OkAsync("carl", PostGetAbility.Name, new { post_id = _locked, include_comments = true, password = Password });
        Assert.Equal("The keeper hides a zeppelin.", post.GetProperty("content").GetString());
        Assert.Equal("A quiet zeppelin", post.GetProperty("excerpt").GetString());
        Assert.Equal("Keeper", post.GetProperty("comments")[0].GetProperty("author_name").GetString());
    }

    [Fact]
    public async Task PostGet_WithAWrongPassword_IsRefused()
    {
        var result = await _h.CallAsync("carl", PostGetAbility.Name, new { post_id = _locked, password = "open sesamE" });
        Assert.Equal(CallOutcome.Refused, result.Outcome);
        Assert.Contains($"the password of post {_locked} is incorrect", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostGet_ForThoseWhoMayEditIt_ShowsContent()
    {
        // The administrator edits every post; the author edits her own published post.
        var byAdmin = await _h.OkAsync("alice", PostGetAbility.Name, new { post_id = _locked, include_comments = true });
        Assert.Equal("The keeper hides a zeppelin.", byAdmin.GetProperty("content").GetString());
        Assert.True(byAdmin.GetProperty("protected").GetBoolean());
        Assert.Equal(1, byAdmin.GetProperty("comments").GetArrayLength());
        var byAuthor = await _h.OkAsync("ada", PostGetAbility.Name, new { post_id = _adasLocked });
        Assert.Equal("Ada's zeppelin.", byAuthor.GetProperty("content").GetString());
        // But not another author's protected post.
        Assert.Equal("", (await _h.OkAsync("ada", PostGetAbility.Name, new { post_id = _locked })).GetProperty("content").GetString());
    }

    [Fact]
    public async Task PostSearch_AsAContributor_NeitherMatchesNorShowsHiddenWords()
    {
        var byContent = await _h.OkAsync("carl", PostSearchAbility.Name, new { search = "zeppelin" });
        Assert.Equal(["Zeppelin history"], Titles(byContent));
        var byTitle = await _h.OkAsync("carl", PostSearchAbility.Name, new { search = "lighthouse diary" });
        Assert.Equal(["Lighthouse diary"], Titles(byTitle));
        Assert.Equal(PostAccess.ProtectedExcerpt, byTitle.GetProperty("posts")[0].GetProperty("excerpt").GetString());
    }

    [Fact]
    public async Task PostSearch_ForThoseWhoMayEditIt_MatchesAndShowsHiddenWords()
    {
        var found = await _h.OkAsync("alice", PostSearchAbility.Name, new { search = "zeppelin" });
        Assert.Equal(new HashSet<string> { "Zeppelin history", "Lighthouse diary", "Ada's lighthouse" }, Titles(found).ToHashSet());
        var locked = found.GetProperty("posts").EnumerateArray().Single(p => p.GetProperty("id").GetInt64() == _locked);
        Assert.Equal("A quiet zeppelin", locked.GetProperty("excerpt").GetString());
        Assert.Equal(new HashSet<string> { "Zeppelin history", "Ada's lighthouse" }, Titles(await _h.OkAsync("ada", PostSearchAbility.Name, new { search = "zeppelin" })).ToHashSet());
    }

    [Fact]
    public async Task CommentSearch_OnAProtectedPost_OnlyForThoseWhoMayEditIt()
    {
        Assert.Equal(0, (await _h.OkAsync("carl", CommentAbilities.Search, new { search = "zeppelin" })).GetProperty("found").GetInt64());
        Assert.Equal(0, (await _h.OkAsync("carl", CommentAbilities.Search, new { post_id = _locked })).GetProperty("found").GetInt64());
        Assert.Equal(0, (await _h.OkAsync("ada", CommentAbilities.Search, new { post_id = _locked })).GetProperty("found").GetInt64());
        var byAdmin = await _h.OkAsync("alice", CommentAbilities.Search, new { search = "zeppelin" });
        Assert.Equal(1, byAdmin.GetProperty("found").GetInt64());
        Assert.Equal("The zeppelin lands at dawn", byAdmin.GetProperty("comments")[0].GetProperty("content").GetString());
    }

    [Fact]
    public async Task PublicSearch_FindsAProtectedPostByItsTitleOnly()
    {
        var client = _h.Server.Anonymous();
        var byContent = await client.GetStringAsync(new Uri($"{_h.BaseUrl}/sites/garden/?s=zeppelin"));
        Assert.Contains("Zeppelin history", byContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Lighthouse diary", byContent, StringComparison.Ordinal);
        var byTitle = await client.GetStringAsync(new Uri($"{_h.BaseUrl}/sites/garden/?s=lighthouse"));
        Assert.Contains("Lighthouse diary", byTitle, StringComparison.Ordinal);
        Assert.DoesNotContain("keeper", byTitle, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PublicList_PastThePagingBound_IsNotFound()
    {
        var response = await _h.Server.Anonymous().GetAsync(new Uri($"{_h.BaseUrl}/sites/garden/page/100001/"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static List<string> Titles(JsonElement result) =>
        result.GetProperty("posts").EnumerateArray().Select(p => p.GetProperty("title").GetString()!).ToList();
}
