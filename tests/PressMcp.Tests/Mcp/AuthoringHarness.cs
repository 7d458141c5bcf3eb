using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Activity;
using PressMcp.Content;
using PressMcp.Mcp;
using PressMcp.Mcp.Settings;
using PressMcp.Storage;

namespace PressMcp.Tests.Mcp;

/// <summary>
/// The real server (alice: administrator of garden, contributor of kitchen; bob: administrator of kitchen) with a
/// little content, and helpers to call <c>wpcom-mcp-content-authoring</c> and inspect what a write left behind.
/// </summary>
internal sealed class AuthoringHarness : IAsyncDisposable
{
    /// <summary>Every ability of the content-authoring tool's operations: the write tools a user would switch on for it.</summary>
    public static readonly string[] WriteAbilities = [.. PressMcp.Mcp.AuthoringOperations.AbilityNames];

    private AuthoringHarness(OAuthTestServer server) => S = server;

    public OAuthTestServer S { get; }
    public long AliceId { get; private set; }
    public long BobId { get; private set; }
    public long GardenId { get; private set; }
    public long KitchenId { get; private set; }

    public static async Task<AuthoringHarness> StartAsync()
    {
        var h = new AuthoringHarness(await OAuthTestServer.StartAsync());
        await h.WithDbAsync(async db =>
        {
            h.AliceId = (await db.Users.SingleAsync(u => u.UserName == "alice")).Id;
            h.BobId = (await db.Users.SingleAsync(u => u.UserName == "bob")).Id;
            h.GardenId = (await db.Sites.SingleAsync(s => s.Slug == "garden")).Id;
            h.KitchenId = (await db.Sites.SingleAsync(s => s.Slug == "kitchen")).Id;
        });
        return h;
    }

    public async Task WithDbAsync(Func<PressDbContext, Task> body)
    {
        await using var scope = S.Server.Services.CreateAsyncScope();
        await body(scope.ServiceProvider.GetRequiredService<PressDbContext>());
    }

    public async Task<T> WithDbAsync<T>(Func<PressDbContext, Task<T>> body)
    {
        await using var scope = S.Server.Services.CreateAsyncScope();
        return await body(scope.ServiceProvider.GetRequiredService<PressDbContext>());
    }

    /// <summary>A post written directly (not through MCP), as content that was already there.</summary>
    public async Task<Post> SeedPostAsync(string siteSlug, string title, string status, long authorId, string type = PostTypes.Post, string content = "")
    {
        await using var scope = S.Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var site = await db.Sites.SingleAsync(s => s.Slug == siteSlug);
        var post = await new ContentSeed(scope.ServiceProvider).CreateAsync(site,
            new NewPost { Title = title, Content = content, Status = status, AuthorId = authorId, Type = type });
        return post.Value!;
    }

    /// <summary>A comment written directly, with an id from the site's sequence (as import and replies take them).</summary>
    public async Task<Comment> SeedCommentAsync(long siteId, long postId, string author, string content, string status, long? parentId = null, int minutesAgo = 0)
    {
        await using var scope = S.Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var comment = new Comment
        {
            SiteId = siteId,
            Id = await scope.ServiceProvider.GetRequiredService<SiteSequences>().NextCommentIdsAsync(siteId),
            PostId = postId,
            ParentId = parentId,
            AuthorName = author,
            Content = content,
            Status = status,
            DateUtc = S.Clock.GetUtcNow().UtcDateTime.AddMinutes(-minutesAgo),
        };
        db.Comments.Add(comment);
        await db.SaveChangesAsync();
        return comment;
    }

    /// <summary>Alice's connection to both sites, every scope; MCP turned on at consent with the read tools only.</summary>
    public async Task<string> ConnectAsync(string scope = "auth") => (await S.ConnectAsync(scope: scope)).Tokens.AccessToken;

    /// <summary>Turns alice's write tools on, as the settings page will.</summary>
    public async Task EnableWritesAsync(params string[] abilities)
    {
        await using var scope = S.Server.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<McpSettingsStore>()
            .SetToolsAsync(AliceId, (abilities.Length == 0 ? WriteAbilities : abilities).ToDictionary(a => a, _ => true));
    }

    public async Task<JsonElement> ToolAsync(string token, string tool, object arguments)
    {
        var response = await S.CallToolAsync(token, tool, arguments);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await OAuthTestServer.JsonOf(response)).GetProperty("result");
    }

    public Task<JsonElement> AuthorAsync(string token, object arguments) => ToolAsync(token, ContentAuthoringTool.Name, arguments);

    /// <summary>Runs an operation with the user's confirmation; returns the tool result (check isError).</summary>
    public Task<JsonElement> ExecuteAsync(string token, string site, string operation, object parameters, bool confirmed = true) =>
        AuthorAsync(token, new { wpcom_site = site, action = "execute", operation, @params = parameters, user_confirmed = confirmed });

    /// <summary>Runs an operation that must succeed; returns the operation's result, checked against its published schemas.</summary>
    public async Task<JsonElement> SucceedAsync(string token, string site, string operation, object parameters)
    {
        var result = await ExecuteAsync(token, site, operation, parameters);
        Assert.False(result.GetProperty("isError").GetBoolean(), Message(result));
        var structured = result.GetProperty("structuredContent");
        Assert.Null(ContentAuthoringTool.Output.Validate(structured));
        var value = structured.GetProperty("result");
        Assert.Null(OutputOf(operation).Validate(value));
        return value;
    }

    /// <summary>Runs an operation that must fail; returns the message.</summary>
    public async Task<string> FailAsync(string token, string site, string operation, object parameters, bool confirmed = true)
    {
        var result = await ExecuteAsync(token, site, operation, parameters, confirmed);
        Assert.True(result.GetProperty("isError").GetBoolean(), result.ToString());
        return Message(result);
    }

    /// <summary>The operation's result schema as describe publishes it (WordPress.com's REST-style object).</summary>
    public SchemaValidator OutputOf(string operation)
    {
        var op = AuthoringOperations.Find(operation)!;
        return new SchemaValidator(JsonSerializer.SerializeToElement(WpcomSchemas.Output(op, AbilityOf(operation))));
    }

    public Ability AbilityOf(string operation) =>
        S.Server.Services.GetRequiredService<AbilityRegistry>().Find(ContentAuthoringTool.Operations.Single(o => o.Operation == operation).Ability)!;

    public static string Message(JsonElement result) => result.GetProperty("content")[0].GetProperty("text").GetString()!;

    /// <summary>The change records of the calls under test (not of the content the test set up with <see cref="ContentSeed"/>).</summary>
    public Task<List<ChangeRecord>> ChangesAsync() => WithDbAsync(db => db.ChangeRecords.AsNoTracking().Where(c => c.CallId != ContentSeed.CallId).OrderBy(c => c.Id).ToListAsync());

    public Task<int> PostCountAsync() => WithDbAsync(db => db.Posts.CountAsync());

    /// <summary>Writes the queued activity entries now instead of within a second.</summary>
    public async Task<List<ActivityEntry>> ActivityAsync()
    {
        await S.Server.Services.GetRequiredService<ActivityFlusher>().FlushAsync();
        return await WithDbAsync(db => db.ActivityLog.AsNoTracking().OrderBy(a => a.Id).ToListAsync());
    }

    public async Task<List<string>> ToolNamesAsync(string token)
    {
        var list = await OAuthTestServer.JsonOf(await S.CallAsync(token));
        return list.GetProperty("result").GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToList();
    }

    public static JsonElement? BeforeOf(ChangeRecord change) => change.Before is null ? null : JsonDocument.Parse(change.Before).RootElement.Clone();

    public ValueTask DisposeAsync() => S.DisposeAsync();
}
