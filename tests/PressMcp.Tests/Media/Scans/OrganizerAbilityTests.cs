using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Activity;
using PressMcp.Abilities;

namespace PressMcp.Tests.Media.Scans;

/// <summary>A site with Receipts, Photos and Photos/Beach, and three unassigned items the heuristic scores 10, 14 and 8 (below the default 10).</summary>
internal sealed record OrganizerSite(string Slug, long SiteId, long Receipts, long Photos, long Beach, long Receipt, long Sunset, long Blank, long Placed)
{
    public static async Task<OrganizerSite> CreateAsync(ScanFixture f)
    {
        var slug = await f.NewSiteAsync();
        async Task<long> Folder(string name, object? parent = null) =>
            (await f.Harness.OkAsync("alice", "vmfo/create-folder", parent is null ? new { name } : new { name, parent_id = parent }, slug)).GetProperty("id").GetInt64();
        var receipts = await Folder("Receipts");
        var photos = await Folder("Photos");
        var beach = await Folder("Beach", photos);
        var receipt = await f.UploadIdAsync(slug, MediaSamples.Pdf(), "receipt-march.pdf");
        var sunset = await f.UploadIdAsync(slug, MediaSamples.Png(2, 2, 20, 1, 1), "beach-sunset.png");
        var blank = await f.UploadIdAsync(slug, MediaSamples.Png(2, 2, 20, 2, 2), "zzz.png");
        var placed = await f.UploadIdAsync(slug, MediaSamples.Png(2, 2, 20, 3, 3), "beach-placed.png", new { folder_id = receipts });
        return new(slug, await ScanKit.SiteIdAsync(f.Services, slug), receipts, photos, beach, receipt, sunset, blank, placed);
    }

    public Task<Dictionary<long, long?>> FoldersAsync(ScanFixture f) =>
        ScanKit.DbAsync(f.Services, db => db.MediaFiles.Where(m => m.SiteId == SiteId).ToDictionaryAsync(m => m.PostId, m => m.FolderId));
}

/// <summary>The <c>vmfo-ai-organizer/*</c> abilities without a chat model: the heuristic of vmfo/get-suggestions decides.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class OrganizerAbilityTests(ScanFixture f) : IClassFixture<ScanFixture>
{
    private const string Start = "vmfo-ai-organizer/start-scan";
    private const string Status = "vmfo-ai-organizer/get-scan-status";

    private async Task<JsonElement> RunAsync(OrganizerSite s, object args)
    {
        var started = await f.Harness.OkAsync("alice", Start, args, s.Slug);
        return await ScanKit.WaitAsync(f.Services, Status, started.GetProperty("id").GetInt64(), s.Slug);
    }

    private static Dictionary<long, JsonElement> Proposals(JsonElement status) =>
        status.GetProperty("proposals").EnumerateArray().ToDictionary(p => p.GetProperty("attachment_id").GetInt64());

    [Fact]
    public async Task Analyze_ProposesFromTheHeuristic_AndMovesNothing()
    {
        var s = await OrganizerSite.CreateAsync(f);
        var done = await RunAsync(s, new { });
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal("{\"mode\":\"analyze\",\"dry_run\":false,\"min_score\":10,\"engine\":\"heuristic\"}", done.GetProperty("options").GetRawText());
        Assert.Equal(3, done.GetProperty("progress").GetProperty("total").GetInt32());
        Assert.Equal(2, done.GetProperty("counts").GetProperty("folder").GetInt32());
        Assert.Equal(1, done.GetProperty("counts").GetProperty("unmatched").GetInt32());

        var p = Proposals(done);
        Assert.Equal([s.Receipt, s.Sunset, s.Blank], p.Keys.Order());
        Assert.Equal(s.Receipts, p[s.Receipt].GetProperty("proposed_folder_id").GetInt64());
        Assert.Equal(s.Beach, p[s.Sunset].GetProperty("proposed_folder_id").GetInt64());
        var sunset = p[s.Sunset].GetProperty("detail");
        Assert.Equal("Photos/Beach", sunset.GetProperty("folder_path").GetString());
        Assert.Equal("heuristic", sunset.GetProperty("source").GetString());
        Assert.Equal(14, sunset.GetProperty("score").GetInt32());
        Assert.Equal("unmatched", p[s.Blank].GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, p[s.Blank].GetProperty("proposed_folder_id").ValueKind);
        Assert.Equal(8, p[s.Blank].GetProperty("detail").GetProperty("best_heuristic").GetProperty("score").GetInt32());
        Assert.All(p.Values, x => Assert.False(x.GetProperty("applied").GetBoolean()));

        var folders = await s.FoldersAsync(f);
        Assert.Null(folders[s.Receipt]);
        Assert.Null(folders[s.Sunset]);
        // The same scoring as vmfo/get-suggestions: one rule, two callers.
        var suggestion = await f.Harness.OkAsync("arthur", "vmfo/get-suggestions", new { media_id = s.Sunset, limit = 1 }, s.Slug);
        Assert.Equal(sunset.GetProperty("score").GetInt32(), suggestion.GetProperty("suggestions")[0].GetProperty("score").GetInt32());

        // A lower bar lets the weak match through.
        var lenient = await RunAsync(s, new { min_score = 8 });
        Assert.Equal(s.Photos, Proposals(lenient)[s.Blank].GetProperty("proposed_folder_id").GetInt64());
    }

    [Fact]
    public async Task Apply_DryRunReportsOnly_ApplyMovesWithChangeRecords()
    {
        var s = await OrganizerSite.CreateAsync(f);
        var dry = await RunAsync(s, new { mode = "apply", dry_run = true });
        Assert.Equal(2, dry.GetProperty("counts").GetProperty("folder").GetInt32());
        Assert.All(Proposals(dry).Values, x => Assert.False(x.GetProperty("applied").GetBoolean()));
        Assert.All((await s.FoldersAsync(f)).Where(x => x.Key != s.Placed), x => Assert.Null(x.Value));

        var applied = await RunAsync(s, new { mode = "apply" });
        var p = Proposals(applied);
        Assert.True(p[s.Receipt].GetProperty("applied").GetBoolean());
        Assert.True(p[s.Sunset].GetProperty("applied").GetBoolean());
        Assert.False(p[s.Blank].GetProperty("applied").GetBoolean());
        var folders = await s.FoldersAsync(f);
        Assert.Equal(s.Receipts, folders[s.Receipt]);
        Assert.Equal(s.Beach, folders[s.Sunset]);
        Assert.Null(folders[s.Blank]);
        Assert.Equal(s.Receipts, folders[s.Placed]);

        var scanId = applied.GetProperty("id").GetInt64();
        var change = (await ScanKit.ChangesAsync(f.Services, s.SiteId, s.Sunset)).Last();
        Assert.Equal("move", change.Action);
        Assert.Equal($"{{\"folder_id\":null,\"organizer_scan_id\":{scanId}}}", change.Before);
        Assert.Equal(await f.Harness.UserIdAsync("alice"), change.UserId);
        // The moves join the start-scan call in the activity log.
        var callId = await ScanKit.DbAsync(f.Services, db => db.MediaScans.Where(x => x.Id == scanId).Select(x => x.CallId).FirstAsync());
        Assert.Equal(callId, change.CallId);

        // Nothing is left unassigned that fits: a second run proposes for the one item left only.
        var again = await RunAsync(s, new { mode = "apply" });
        Assert.Equal([s.Blank], Proposals(again).Keys);
    }

    [Fact]
    public async Task Organizer_RefusesTooLittleCapabilityAndBadInput()
    {
        var s = await f.NewSiteAsync();
        var author = await f.Harness.CallAsync("arthur", Start, new { }, s);
        Assert.Equal(CallOutcome.Refused, author.Outcome);
        Assert.Equal("your role (author) lacks the capability manage_options needed for vmfo-ai-organizer/start-scan", author.Message);
        var editor = await f.Harness.CallAsync("erin", Start, new { mode = "apply" }, s);
        Assert.Contains("lacks the capability manage_options", editor.Message, StringComparison.Ordinal);
        var mode = await f.Harness.CallAsync("alice", Start, new { mode = "shuffle" }, s);
        Assert.Equal("invalid arguments: mode must be one of analyze, apply", mode.Message);
        var score = await f.Harness.CallAsync("alice", Start, new { min_score = 0 }, s);
        Assert.Equal("invalid arguments: min_score must be at least 1", score.Message);
        var extra = await f.Harness.CallAsync("alice", Start, new { model = "gpt" }, s);
        Assert.StartsWith("invalid arguments: unknown field 'model'", extra.Message, StringComparison.Ordinal);
        var none = await f.Harness.CallAsync("arthur", Status, new { }, s);
        Assert.Equal("no organizer scan has been started on this site yet", none.Message);
        var cancel = await f.Harness.CallAsync("erin", "vmfo-ai-organizer/cancel-scan", new { scan_id = 5 }, s);
        Assert.Contains("lacks the capability manage_options needed for vmfo-ai-organizer/cancel-scan", cancel.Message, StringComparison.Ordinal);

        // An empty library is a completed run with nothing to propose.
        var started = await f.Harness.OkAsync("alice", Start, new { }, s);
        var done = await ScanKit.WaitAsync(f.Services, Status, started.GetProperty("id").GetInt64(), s);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(0, done.GetProperty("progress").GetProperty("total").GetInt32());
        // A cleanup scan id is not an organizer scan.
        var cleanup = await f.Harness.OkAsync("alice", "vmfo-cleanup/start-scan", new { }, s);
        var wrongKind = await f.Harness.CallAsync("alice", Status, new { scan_id = cleanup.GetProperty("id").GetInt64() }, s);
        Assert.Equal(CallOutcome.NotFound, wrongKind.Outcome);
    }
}
