using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PressMcp.Abilities;
using PressMcp.Media;
using PressMcp.Mcp;
using PressMcp.Mcp.Settings;
using PressMcp.OAuth;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Media;

/// <summary>
/// Media storage guarantees on each provider (SQLite here, PostgreSQL in the storage stage): the file and its row
/// exist together, sibling folder names are unique in the database itself, and the folder and rule writes work.
/// Also the transport's per-endpoint body limit: an upload endpoint takes a base64 file above the 1 MB default.
/// </summary>
[Trait(Category.Name, Category.Storage)]
public sealed class MediaStorageTests
{
    /// <summary>Fails any save that inserts a media record, while armed.</summary>
    private sealed class FailMediaInsert : SaveChangesInterceptor
    {
        public bool Armed { get; set; }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Armed && eventData.Context!.ChangeTracker.Entries<MediaFile>().Any(e => e.State == EntityState.Added))
                throw new DbUpdateException("simulated database failure");
            return ValueTask.FromResult(result);
        }
    }

    private static async Task CliAsync(TestServer server, params string[] args)
    {
        var r = await CliRunner.RunAsync(server.Store, args);
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    [Fact]
    public async Task Upload_DatabaseWriteFails_TheFileIsRemovedAndNothingIsLeft()
    {
        var failure = new FailMediaInsert();
        await using var server = await TestServer.StartAsync(configureHost: b =>
        {
            b.Services.ConfigureDbContext<SqlitePressDbContext>(o => o.AddInterceptors(failure));
            b.Services.ConfigureDbContext<PostgresPressDbContext>(o => o.AddInterceptors(failure));
        });
        await server.CreateUserAsync("alice", "correct horse battery");
        await CliAsync(server, "site", "create", "--slug", "garden", "--title", "Garden", "--owner", "alice");

        await using var scope = server.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var site = (await sp.GetRequiredService<SiteResolver>().ResolveAsync("garden")).Value!;
        var user = (await sp.GetRequiredService<PressMcp.Accounts.UserAccounts>().FindByLoginAsync("alice"))!;
        var actor = await sp.GetRequiredService<SiteResolver>().ActorAsync(user, site.Id);
        var uploader = sp.GetRequiredService<MediaUploader>();
        var change = MediaChanges.For(user.Id, site.Id, TimeProvider.System);

        failure.Armed = true;
        await Assert.ThrowsAsync<DbUpdateException>(() => uploader.UploadAsync(site, actor, new MemoryStream(MediaSamples.Png(2, 2)), new UploadRequest("lost.png"), change, default));
        var root = sp.GetRequiredService<MediaOptions>().Root;
        Assert.Empty(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories));
        var db = sp.GetRequiredService<PressDbContext>();
        Assert.Equal(0, await db.MediaFiles.CountAsync());
        Assert.Equal(0, await db.Posts.CountAsync(p => p.Type == "attachment"));
        Assert.Equal(0, await db.ChangeRecords.CountAsync());

        failure.Armed = false;
        var ok = await uploader.UploadAsync(site, actor, new MemoryStream(MediaSamples.Png(2, 2)), new UploadRequest("lost.png"), change, default);
        Assert.True(ok.Succeeded);
        Assert.EndsWith("/lost.png", ok.Value!.Url, StringComparison.Ordinal);
        Assert.Single(Directory.EnumerateFiles(Path.Combine(root, site.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task FolderNames_UniqueAmongSiblingsRegardlessOfCase_InTheDatabaseItself()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateUserAsync("alice", "correct horse battery");
        await CliAsync(server, "site", "create", "--slug", "garden", "--title", "Garden", "--owner", "alice");
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var siteId = await db.Sites.Select(s => s.Id).SingleAsync();
        MediaFolder Folder(string name, long? parent) => new() { SiteId = siteId, Name = name, NormalizedName = FolderNames.Normalize(name), ParentId = parent, CreatedUtc = DateTime.UtcNow };

        var photos = Folder("Photos", null);
        db.MediaFolders.Add(photos);
        await db.SaveChangesAsync();
        // What two racing requests would do once both passed the service's own check.
        db.MediaFolders.Add(Folder("PHOTOS", null));
        var top = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.True(UniqueViolation.Is(top));
        db.ChangeTracker.Clear();

        db.MediaFolders.Add(Folder("Trips", photos.Id));
        await db.SaveChangesAsync();
        db.MediaFolders.Add(Folder("trips", photos.Id));
        Assert.True(UniqueViolation.Is(await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync())));
        db.ChangeTracker.Clear();
        // The same name elsewhere in the tree is fine.
        db.MediaFolders.Add(Folder("Trips", null));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task FoldersRulesAndUploads_WorkOnThisProvider()
    {
        await using var h = await AbilityHarness.StartAsync();
        await h.EnableAsync("alice");
        var top = await h.OkAsync("alice", "vmfo/create-folder", new { name = "Photos" });
        await h.OkAsync("alice", "vmfo/create-folder", new { name = "2026", parent_id = "photos" });
        await h.OkAsync("alice", "vmfo-rules/create-rule", new { name = "pngs", folder_id = "Photos/2026", conditions = new { mime_type = "image/png", max_width = 100 } });
        var placed = await h.OkAsync("alice", "media/upload", new { data = Convert.ToBase64String(MediaSamples.Png(5, 5)), filename = "a.png" });
        Assert.Equal("Photos/2026", placed.GetProperty("folder_path").GetString());
        var loose = await h.OkAsync("alice", "media/upload", new { data = Convert.ToBase64String(MediaSamples.Pdf()), filename = "b.pdf" });
        Assert.Equal(JsonValueKind.Null, loose.GetProperty("folder_id").ValueKind);
        await h.OkAsync("alice", "vmfo-rules/create-rule", new { name = "pdfs", folder_id = top.GetProperty("id").GetInt64(), conditions = new { mime_type = "application/*" } });
        var applied = await h.OkAsync("alice", "vmfo-rules/apply", new { });
        Assert.Single(applied.GetProperty("moves").EnumerateArray());
        var list = await h.OkAsync("alice", "vmfo/list-folders", new { });
        Assert.Equal([1, 1], list.GetProperty("folders").EnumerateArray().Select(x => x.GetProperty("count").GetInt32()));
        var deleted = await h.OkAsync("alice", "vmfo/delete-folder", new { folder_id = "Photos", force = true });
        Assert.Equal(2, deleted.GetProperty("unassigned_media").GetInt32());
        Assert.Equal(2, deleted.GetProperty("deleted_rules").GetInt32());
        Assert.Equal(2, (await h.OkAsync("alice", "vmfo/list-folders", new { })).GetProperty("unassigned_count").GetInt32());
    }

    /// <summary>A stand-in for the adapter endpoint: the real transport, with only media/upload, as alice.</summary>
    private sealed class UploadTools(AbilityInvoker invoker, AbilityRegistry registry) : IMcpToolSet
    {
        public string Instructions => "test";

        public Task<System.Text.Json.Nodes.JsonArray> ListAsync(McpContext context, CancellationToken ct) => Task.FromResult(new System.Text.Json.Nodes.JsonArray());

        public async Task<McpReply> CallAsync(JsonRpcMessage request, string name, JsonElement arguments, McpContext context, CancellationToken ct)
        {
            var result = await invoker.InvokeAsync(context.Caller, name, registry.Find(name)!, arguments, context.EndpointSite, ct);
            return result.Succeeded ? McpReply.Tool(request, result.Result!) : McpReply.Result(request, McpToolJson.ToolError(result.Message));
        }
    }

    private static void MapUploadEndpoint(WebApplication app, string path, bool uploadLimit) =>
        app.MapPost(path, async (HttpContext http, McpHttpTransport transport, AbilityInvoker invoker, AbilityRegistry registry, MediaOptions media, SiteResolver sites, PressMcp.Accounts.UserAccounts accounts) =>
        {
            var alice = (await accounts.FindByLoginAsync("alice"))!;
            var site = (await sites.ResolveAsync("garden")).Value!;
            var caller = new McpCaller(alice.Id, false, Scopes.Expand(Scopes.Supported), null, "test", "adapter");
            http.User = new System.Security.Claims.ClaimsPrincipal(new McpIdentity("test", caller, "test", site));
            await transport.HandleAsync(http, new UploadTools(invoker, registry),
                uploadLimit ? new McpLargeBody(media.McpBodyLimit, "media/upload calls", (_, _) => Task.FromResult(true), m => m.Method == "tools/call") : null);
        });

    [Fact]
    public async Task Transport_UploadEndpointTakesBodiesUpToTheUploadLimit_OthersKeepOneMegabyte()
    {
        await using var server = await TestServer.StartAsync(
            configureHost: b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Media:MaxUploadBytes"] = "3145728" }),
            configureEndpoints: app =>
            {
                MapUploadEndpoint(app, "/test/upload-mcp", uploadLimit: true);
                MapUploadEndpoint(app, "/test/small-mcp", uploadLimit: false);
            });
        await server.CreateUserAsync("alice", "correct horse battery");
        await CliAsync(server, "site", "create", "--slug", "garden", "--title", "Garden", "--owner", "alice");
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var id = (await scope.ServiceProvider.GetRequiredService<PressMcp.Accounts.UserAccounts>().FindByLoginAsync("alice"))!.Id;
            var settings = scope.ServiceProvider.GetRequiredService<McpSettingsStore>();
            await settings.SetEnabledAsync(id, true);
            await settings.SetToolsAsync(id, new Dictionary<string, bool> { ["media/upload"] = true });
        }
        var pdf = new byte[2 * 1024 * 1024];
        MediaSamples.Pdf().CopyTo(pdf, 0);
        object Body() => new { jsonrpc = "2.0", id = 1, method = "tools/call", @params = new { name = "media/upload", arguments = new { data = Convert.ToBase64String(pdf), filename = "big.pdf" } } };

        var small = await server.CreateClient().PostAsync("/test/small-mcp", JsonContent.Create(Body()));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, small.StatusCode);

        var big = await server.CreateClient().PostAsync("/test/upload-mcp", JsonContent.Create(Body()));
        Assert.Equal(HttpStatusCode.OK, big.StatusCode);
        var result = (await OAuthTestServer.JsonOf(big)).GetProperty("result");
        Assert.False(result.GetProperty("isError").GetBoolean(), result.ToString());
        Assert.Equal(pdf.Length, result.GetProperty("structuredContent").GetProperty("size").GetInt64());
    }
}
