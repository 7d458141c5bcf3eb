using System.Net;
using System.Text.Json;
using PressMcp.Abilities;
using PressMcp.Content;
using PressMcp.Sites;
using PressMcp.Storage;
using Microsoft.EntityFrameworkCore;

namespace PressMcp.Tests.Mcp;

/// <summary><c>wpcom-mcp-posts-search</c> through the real endpoint: site resolution, every permission layer, filters, output shape.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class PostSearchToolTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync()
    {
        _s = await OAuthTestServer.StartAsync();
        await using var scope = _s.Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var garden = await db.Sites.SingleAsync(s => s.Slug == "garden");
        var alice = await db.Users.SingleAsync(u => u.UserName == "alice");
        var writer = new ContentSeed(scope.ServiceProvider);
        var veg = (await writer.EnsureTermAsync(garden, Taxonomies.Category, "Vegetables")).Value!;
        await writer.CreateAsync(garden, new NewPost { Title = "Tomato harvest notes", Content = "Red tomatoes everywhere.", Status = PostStatuses.Publish, AuthorId = alice.Id, TermIds = [veg.Id] });
        await writer.CreateAsync(garden, new NewPost { Title = "Tomato secrets", Content = "Draft about tomatoes.", Status = PostStatuses.Draft, AuthorId = alice.Id });
        await writer.CreateAsync(garden, new NewPost { Title = "Roses", Content = "Nothing red here.", Status = PostStatuses.Publish, AuthorId = alice.Id,
            Meta = [new("mood", "calm"), new("mood", "sunny")] });
        var now = DateTime.UtcNow;
        db.Comments.AddRange(
            new Comment { SiteId = garden.Id, Id = 1, PostId = 3, AuthorName = "Ann", Content = "Lovely", Status = CommentStatuses.Approved, DateUtc = now },
            new Comment { SiteId = garden.Id, Id = 2, PostId = 3, ParentId = 1, AuthorName = "Ben", Content = "Agreed", Status = CommentStatuses.Approved, DateUtc = now.AddMinutes(1) },
            new Comment { SiteId = garden.Id, Id = 3, PostId = 3, AuthorName = "Spammer", Content = "Buy", Status = CommentStatuses.Spam, DateUtc = now.AddMinutes(2) });
        await db.SaveChangesAsync();
        var kitchen = await db.Sites.SingleAsync(s => s.Slug == "kitchen");
        var bob = await db.Users.SingleAsync(u => u.UserName == "bob");
        await writer.CreateAsync(kitchen, new NewPost { Title = "Bob's secret recipe", Content = "Not yet.", Status = PostStatuses.Draft, AuthorId = bob.Id });
    }

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    private async Task<JsonElement> CallAsync(string token, object arguments)
    {
        var response = await _s.CallToolAsync(token, "wpcom-mcp-posts-search", arguments);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await OAuthTestServer.JsonOf(response)).GetProperty("result");
    }

    private static string Message(JsonElement result) => result.GetProperty("content")[0].GetProperty("text").GetString()!;

    [Fact]
    public async Task Search_FindsWhatTheRoleMaySee_WithLinksTermsAndAuthor()
    {
        var (_, tokens) = await _s.ConnectAsync(sites: ["Garden Notes"]);
        var result = await CallAsync(tokens.AccessToken, new { wpcom_site = "garden", search = "tomato tomatoes" });
        Assert.False(result.GetProperty("isError").GetBoolean(), Message(result));
        var structured = result.GetProperty("structuredContent");
        // Alice administers the site: her draft is found too; the rose post has neither word.
        Assert.Equal(2, structured.GetProperty("found").GetInt64());
        Assert.False(structured.GetProperty("found_is_lower_bound").GetBoolean());
        Assert.Equal(new HashSet<string?> { "Tomato harvest notes", "Tomato secrets" },
            structured.GetProperty("posts").EnumerateArray().Select(p => p.GetProperty("title").GetString()).ToHashSet());
        var post = structured.GetProperty("posts").EnumerateArray().Single(p => p.GetProperty("title").GetString() == "Tomato harvest notes");
        Assert.Equal("Tomato harvest notes", post.GetProperty("title").GetString());
        Assert.Equal(["Vegetables"], post.GetProperty("categories").EnumerateArray().Select(e => e.GetString()));
        Assert.StartsWith($"{_s.BaseUrl}/sites/garden/20", post.GetProperty("link").GetString(), StringComparison.Ordinal);
        Assert.Equal("Alice", post.GetProperty("author").GetProperty("name").GetString(), ignoreCase: true);

        var drafts = await CallAsync(tokens.AccessToken, new { wpcom_site = "garden", status = "draft" });
        Assert.Equal(["Tomato secrets"], drafts.GetProperty("structuredContent").GetProperty("posts").EnumerateArray().Select(p => p.GetProperty("title").GetString()));
        var byCategory = await CallAsync(tokens.AccessToken, new { wpcom_site = "garden", category = "vegetables" });
        Assert.Equal(1, byCategory.GetProperty("structuredContent").GetProperty("found").GetInt64());

        var ability = _s.Server.Services.GetRequiredService<AbilityRegistry>().Find("posts/search")!;
        Assert.Null(ability.Output.Validate(structured));
    }

    [Fact]
    public async Task Search_StopWordsAndTotal_DescribedToTheAgent()
    {
        var (_, tokens) = await _s.ConnectAsync(sites: ["Garden Notes"]);
        // "the" is left out: the harvest post has no "the", yet "the tomato harvest" finds it.
        var result = await CallAsync(tokens.AccessToken, new { wpcom_site = "garden", search = "the tomato harvest" });
        Assert.False(result.GetProperty("isError").GetBoolean(), Message(result));
        Assert.Equal(["Tomato harvest notes"], result.GetProperty("structuredContent").GetProperty("posts").EnumerateArray().Select(p => p.GetProperty("title").GetString()));

        // What found means is in the tool's description and in its output schema.
        var tools = (await OAuthTestServer.JsonOf(await _s.CallAsync(tokens.AccessToken))).GetProperty("result").GetProperty("tools").EnumerateArray();
        var tool = tools.Single(t => t.GetProperty("name").GetString() == "wpcom-mcp-posts-search");
        Assert.Contains("exact up to 10,000", tool.GetProperty("description").GetString(), StringComparison.Ordinal);
        var properties = tool.GetProperty("outputSchema").GetProperty("properties");
        Assert.Contains("lower bound", properties.GetProperty("found_is_lower_bound").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("exact up to 10,000", properties.GetProperty("found").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostGet_ByIdOrAddress_WithMetaAndThreadedComments()
    {
        var (_, tokens) = await _s.ConnectAsync(sites: ["Garden Notes"]);
        var response = await _s.CallToolAsync(tokens.AccessToken, "wpcom-mcp-post-get", new { wpcom_site = "garden", post_id = 3, include_comments = true });
        var result = (await OAuthTestServer.JsonOf(response)).GetProperty("result");
        Assert.False(result.GetProperty("isError").GetBoolean(), Message(result));
        var post = result.GetProperty("structuredContent");
        Assert.Equal("Roses", post.GetProperty("title").GetString());
        Assert.Equal(["calm", "sunny"], post.GetProperty("meta").EnumerateArray().Select(m => m.GetProperty("value").GetString()));
        // Alice administers the site, so she sees the spam comment too; Ben's reply sits under Ann's comment.
        var top = post.GetProperty("comments").EnumerateArray().ToList();
        Assert.Equal(["Ann", "Spammer"], top.Select(c => c.GetProperty("author_name").GetString()));
        Assert.Equal("Ben", top[0].GetProperty("replies")[0].GetProperty("author_name").GetString());
        Assert.Null(_s.Server.Services.GetRequiredService<AbilityRegistry>().Find("posts/get")!.Output.Validate(post));

        var byUrl = await _s.CallToolAsync(tokens.AccessToken, "wpcom-mcp-post-get", new { wpcom_site = "garden", url = post.GetProperty("link").GetString() });
        Assert.Equal(3, (await OAuthTestServer.JsonOf(byUrl)).GetProperty("result").GetProperty("structuredContent").GetProperty("id").GetInt64());
        var missing = (await OAuthTestServer.JsonOf(await _s.CallToolAsync(tokens.AccessToken, "wpcom-mcp-post-get", new { wpcom_site = "garden", post_id = 99 }))).GetProperty("result");
        Assert.Contains("no such post", Message(missing), StringComparison.Ordinal);
        var neither = (await OAuthTestServer.JsonOf(await _s.CallToolAsync(tokens.AccessToken, "wpcom-mcp-post-get", new { wpcom_site = "garden" }))).GetProperty("result");
        Assert.Contains("give post_id or url", Message(neither), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostGet_AnotherAuthorsDraft_IsRefusedForAContributor()
    {
        var (_, tokens) = await _s.ConnectAsync(sites: ["Kitchen"]);
        var result = (await OAuthTestServer.JsonOf(await _s.CallToolAsync(tokens.AccessToken, "wpcom-mcp-post-get", new { wpcom_site = "kitchen", post_id = 1 }))).GetProperty("result");
        Assert.True(result.GetProperty("isError").GetBoolean());
        Assert.Contains("may not read post 1", Message(result), StringComparison.Ordinal);
        // Nor does search show it.
        var search = await CallAsync(tokens.AccessToken, new { wpcom_site = "kitchen", search = "secret" });
        Assert.Equal(0, search.GetProperty("structuredContent").GetProperty("found").GetInt64());
    }

    [Fact]
    public async Task Search_RefusalsSayWhich()
    {
        var (_, tokens) = await _s.ConnectAsync(sites: ["Garden Notes"]);
        Assert.Contains("not granted access to that site", Message(await CallAsync(tokens.AccessToken, new { wpcom_site = "kitchen" })), StringComparison.Ordinal);
        Assert.Contains("no site 'nowhere'", Message(await CallAsync(tokens.AccessToken, new { wpcom_site = "nowhere" })), StringComparison.Ordinal);
        Assert.Contains("no category 'fruit'", Message(await CallAsync(tokens.AccessToken, new { wpcom_site = "garden", category = "fruit" })), StringComparison.Ordinal);
        Assert.Contains("per_page must be at most 100", Message(await CallAsync(tokens.AccessToken, new { wpcom_site = "garden", per_page = 500 })), StringComparison.Ordinal);
        Assert.Contains("wpcom_site is required", Message(await CallAsync(tokens.AccessToken, new { search = "x" })), StringComparison.Ordinal);
        var bySiteId = await CallAsync(tokens.AccessToken, new { wpcom_site = 1 });
        Assert.False(bySiteId.GetProperty("isError").GetBoolean(), Message(bySiteId));
    }

    [Fact]
    public async Task Search_WithoutContentReadScope_IsStepUp403()
    {
        var (_, tokens) = await _s.ConnectAsync(scope: "stats:read", sites: ["Garden Notes"]);
        var response = await _s.CallToolAsync(tokens.AccessToken, "wpcom-mcp-posts-search", new { wpcom_site = "garden" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("error=\"insufficient_scope\", scope=\"content:read\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscriber_DoesNotSeeTheTool_AndIsRefusedByRole()
    {
        var r = await CliRunner.RunAsync(_s.Server.Store, "site", "add-user", "--site", "kitchen", "--login", "alice", "--role", "subscriber");
        Assert.Equal(0, r.ExitCode);
        var (_, tokens) = await _s.ConnectAsync(sites: ["Kitchen"]);
        var list = await OAuthTestServer.JsonOf(await _s.CallAsync(tokens.AccessToken));
        var names = list.GetProperty("result").GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.DoesNotContain("wpcom-mcp-posts-search", names);
        Assert.Contains("wpcom-mcp-user-sites", names);
        Assert.Contains("edit_posts", Message(await CallAsync(tokens.AccessToken, new { wpcom_site = "kitchen" })), StringComparison.Ordinal);
    }
}
