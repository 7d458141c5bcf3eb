using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Sites;
using PressMcp.Storage;
using PressMcp.Tests.Publishing;

namespace PressMcp.Tests.Content.Moderation;

/// <summary>
/// A running server with site "garden" and a member of each role: alice (administrator), ed (editor), au (author),
/// co (contributor), sub (subscriber), every password <see cref="Password"/>; one published post by alice.
/// </summary>
internal sealed class ModerationSite : IAsyncDisposable
{
    public const string Password = "correct horse battery";
    public const string Path = "/account/sites/garden";

    private ModerationSite(TestServer server, PublicSiteSeed seed, Site site, Post post) => (Server, Seed, Site, Post) = (server, seed, site, post);

    public TestServer Server { get; }
    public PublicSiteSeed Seed { get; }
    public Site Site { get; }
    public Post Post { get; }

    public static async Task<ModerationSite> StartAsync()
    {
        var server = await TestServer.StartAsync();
        var seed = new PublicSiteSeed(server.Services);
        foreach (var login in new[] { "alice", "ed", "au", "co", "sub" }) await seed.UserAsync(login);
        var site = await seed.SiteAsync("garden", "alice", title: "Garden Notes");
        await seed.MemberAsync(site, "ed", Roles.Editor);
        await seed.MemberAsync(site, "au", Roles.Author);
        await seed.MemberAsync(site, "co", Roles.Contributor);
        await seed.MemberAsync(site, "sub", Roles.Subscriber);
        var post = await seed.PublishedAsync(site, "Tomatoes in May", new DateTime(2026, 5, 1, 9, 0, 0, DateTimeKind.Utc), "Plant them late.");
        return new ModerationSite(server, seed, site, post);
    }

    public Task<HttpClient> ClientAsync(string login) => Server.SignedInClientAsync(login, Password);

    public async Task<AngleSharp.Html.Dom.IHtmlDocument> PageAsync(HttpClient client, string path) => TestServer.Parse(await client.GetStringAsync(path));

    /// <summary>Posts a form of <paramref name="path"/>, with the antiforgery token of the page the person is on (the dashboard).</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, Dictionary<string, string> fields) =>
        TestServer.PostFormAsync(client, path, fields, formPage: "/account");

    public Task<T> DbAsync<T>(Func<PressDbContext, Task<T>> query) => Seed.DbAsync(query);

    public Task<Comment> CommentAsync(string author, string text, string status, int minutesAgo = 0, long? parent = null, string url = "", long? postId = null) =>
        Seed.CommentAsync(Site, postId ?? Post.Id, author, text, DateTime.UtcNow.AddMinutes(-minutesAgo), status, parent, url);

    public Task<string> StatusOfAsync(long commentId) => DbAsync(db => db.Comments.Where(c => c.SiteId == Site.Id && c.Id == commentId).Select(c => c.Status).SingleAsync());

    public Task<long> CommentCountAsync(long postId) => DbAsync(db => db.Posts.Where(p => p.SiteId == Site.Id && p.Id == postId).Select(p => p.CommentCount).SingleAsync());

    /// <summary>The site's activity entries by people in the browser, oldest first: (login, tool, outcome).</summary>
    public async Task<List<(string Login, string Tool, PressMcp.Abilities.CallOutcome Outcome)>> BrowserActivityAsync()
    {
        await Server.Services.GetRequiredService<PressMcp.Activity.ActivityFlusher>().FlushAsync();
        return await DbAsync(async db => (await db.ActivityLog.AsNoTracking().Where(a => a.SiteId == Site.Id && a.Endpoint == PressMcp.Abilities.PersonCalls.Endpoint)
                .OrderBy(a => a.Id).Join(db.Users, a => a.UserId, u => u.Id, (a, u) => new { u.UserName, a.Tool, a.Outcome }).ToListAsync())
            .Select(e => (e.UserName!, e.Tool, e.Outcome)).ToList());
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
