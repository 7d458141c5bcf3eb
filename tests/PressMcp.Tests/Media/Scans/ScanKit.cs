using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using PressMcp.Abilities;
using PressMcp.Activity;
using PressMcp.Content;
using PressMcp.Media.Organizer;
using PressMcp.OAuth;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Media.Scans;

/// <summary>
/// A chat model under the test's control, registered where the organizer looks for one. <see cref="Answer"/> writes the
/// reply from the question's JSON; <see cref="Gate"/>, when set, holds every call until the test releases it.
/// </summary>
internal sealed class FakeChatClient : IChatClient
{
    public Func<JsonElement, string> Answer { get; set; } = _ => "{\"proposals\":[]}";
    public SemaphoreSlim? Gate { get; set; }
    public ConcurrentQueue<JsonElement> Questions { get; } = new();

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var question = JsonDocument.Parse(messages.Last().Text).RootElement.Clone();
        Questions.Enqueue(question);
        if (Gate is { } gate) await gate.WaitAsync(cancellationToken);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, Answer(question)));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var u in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates()) yield return u;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    public static void Register(IServiceCollection services, FakeChatClient client) =>
        services.AddKeyedSingleton<IChatClient>(OrganizerOptions.ChatClientKey, client);
}

/// <summary>Helpers the scan tests share: fresh sites, posts written directly, ability calls on any running server, waiting for scans.</summary>
internal static class ScanKit
{
    public static readonly string[] Members = ["erin", "arthur"];

    /// <summary>A fresh site owned by alice, with erin (editor) and arthur (author), so each test counts only its own media.</summary>
    public static async Task<string> NewSiteAsync(TestServer server)
    {
        var slug = "s" + Guid.NewGuid().ToString("N")[..10];
        await Cli(server, "site", "create", "--slug", slug, "--title", "Scan " + slug, "--owner", "alice");
        await Cli(server, "site", "add-user", "--site", slug, "--login", "erin", "--role", "editor");
        await Cli(server, "site", "add-user", "--site", slug, "--login", "arthur", "--role", "author");
        return slug;
    }

    public static async Task Cli(TestServer server, params string[] args)
    {
        var r = await CliRunner.RunAsync(server.Store, args);
        if (r.ExitCode != 0) throw new InvalidOperationException(r.ToString());
    }

    public static async Task<T> DbAsync<T>(IServiceProvider services, Func<PressDbContext, Task<T>> work)
    {
        await using var scope = services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<PressDbContext>());
    }

    public static Task<long> SiteIdAsync(IServiceProvider services, string slug) =>
        DbAsync(services, db => db.Sites.Where(s => s.Slug == slug).Select(s => s.Id).FirstAsync());

    /// <summary>A published post written straight to the database (this branch has no content-writing ability).</summary>
    public static async Task<long> PostAsync(IServiceProvider services, string slug, string content, long? thumbnailId = null)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var siteId = await db.Sites.Where(s => s.Slug == slug).Select(s => s.Id).FirstAsync();
        var id = await scope.ServiceProvider.GetRequiredService<SiteSequences>().NextPostIdsAsync(siteId);
        var now = DateTime.UtcNow;
        db.Posts.Add(new Post { SiteId = siteId, Id = id, Title = $"Post {id}", Slug = $"post-{id}", Status = PostStatuses.Publish, Content = content, DateUtc = now, ModifiedUtc = now });
        if (thumbnailId is { } t) db.PostMeta.Add(new PostMeta { SiteId = siteId, PostId = id, Key = "_thumbnail_id", Value = t.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await db.SaveChangesAsync();
        return id;
    }

    /// <summary>An ability call as the adapter endpoint makes it (Application Password caller, the site as the endpoint's own), on any server.</summary>
    public static async Task<AbilityResult> CallAsync(IServiceProvider services, string login, string ability, object arguments, string site)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var found = sp.GetRequiredService<AbilityRegistry>().Find(ability) ?? throw new InvalidOperationException($"no ability {ability}");
        var user = await sp.GetRequiredService<PressMcp.Accounts.UserAccounts>().FindByLoginAsync(login) ?? throw new InvalidOperationException($"no user {login}");
        var resolved = await sp.GetRequiredService<SiteResolver>().ResolveAsync(site);
        var caller = new McpCaller(user.Id, user.IsServerAdmin, Scopes.Expand(Scopes.Supported), GrantedSiteIds: null, Client: "test", Endpoint: "adapter");
        var args = arguments as JsonElement? ?? JsonSerializer.SerializeToElement(arguments);
        var result = await sp.GetRequiredService<AbilityInvoker>().InvokeAsync(caller, ability, found, args, endpointSite: resolved.Value, default);
        if (result.Succeeded && found.Output.Validate(result.Value) is { } mismatch)
            throw new InvalidOperationException($"{ability} answered outside its output schema: {mismatch}\n{result.Value}");
        return new AbilityResult(result.Outcome, result.Value, result.Message);
    }

    public static async Task<JsonElement> OkAsync(IServiceProvider services, string login, string ability, object arguments, string site)
    {
        var r = await CallAsync(services, login, ability, arguments, site);
        Assert.True(r.Succeeded, $"{ability} failed ({r.Outcome}): {r.Message}");
        return r.Value;
    }

    /// <summary>Polls a status ability until <paramref name="done"/> holds (by default: the scan has finished).</summary>
    public static async Task<JsonElement> WaitAsync(IServiceProvider services, string statusAbility, long scanId, string site, Func<JsonElement, bool>? done = null)
    {
        done ??= s => s.GetProperty("status").GetString() is "completed" or "cancelled" or "failed" or "interrupted";
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var status = await OkAsync(services, "alice", statusAbility, new { scan_id = scanId }, site);
            if (done(status)) return status;
            if (DateTime.UtcNow > until) throw new TimeoutException($"scan {scanId} did not get there: {status}");
            await Task.Delay(50);
        }
    }

    public static async Task<List<ChangeRecord>> ChangesAsync(IServiceProvider services, long siteId, long objectId) =>
        await DbAsync(services, db => db.ChangeRecords.AsNoTracking().Where(c => c.SiteId == siteId && c.ObjectId == objectId && c.ObjectType == "media").OrderBy(c => c.Id).ToListAsync());
}
