using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Activity;
using PressMcp.Content;
using PressMcp.Abilities;

namespace PressMcp.Tests.Media.Scans;

/// <summary>The <c>vmfo-cleanup/*</c> abilities through the real invoker: what a scan finds, the actions, and who may do what.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class CleanupAbilityTests(ScanFixture f) : IClassFixture<ScanFixture>
{
    private const string Start = "vmfo-cleanup/start-scan";
    private const string Status = "vmfo-cleanup/get-scan-status";

    private async Task<JsonElement> ScanAsync(string site, object? args = null)
    {
        var started = await f.Harness.OkAsync("alice", Start, args ?? new { }, site);
        Assert.Equal("queued", started.GetProperty("status").GetString());
        return await ScanKit.WaitAsync(f.Services, Status, started.GetProperty("id").GetInt64(), site);
    }

    private async Task<List<JsonElement>> ResultsAsync(string site, string? reason = null, long? scanId = null)
    {
        var args = new Dictionary<string, object> { ["per_page"] = 100 };
        if (reason is not null) args["reason"] = reason;
        if (scanId is not null) args["scan_id"] = scanId;
        return (await f.Harness.OkAsync("erin", "vmfo-cleanup/list-results", args, site)).GetProperty("items").EnumerateArray().ToList();
    }

    private static long[] Ids(IEnumerable<JsonElement> results) => results.Select(r => r.GetProperty("attachment_id").GetInt64()).Order().ToArray();

    [Fact]
    public async Task Scan_FindsExactlyThePlantedUnusedDuplicateAndOversizedItems()
    {
        var site = await f.NewSiteAsync();
        var unused = await f.UploadIdAsync(site, MediaSamples.Png(2, 2, 1, 1, 1), "lonely.png");
        var host = await ScanKit.PostAsync(f.Services, site, "no media here");
        var attached = await f.UploadIdAsync(site, MediaSamples.Png(2, 2, 2, 2, 2), "attached.png", new { post_id = host });
        var featured = await f.UploadIdAsync(site, MediaSamples.Png(2, 2, 3, 3, 3), "featured.png");
        var byClass = await f.UploadIdAsync(site, MediaSamples.Png(2, 2, 4, 4, 4), "by-class.png");
        var byUrl = await f.UploadAsync(site, MediaSamples.Png(2, 2, 5, 5, 5), "by-url.png");
        var inGallery = await f.UploadIdAsync(site, MediaSamples.Png(2, 2, 6, 6, 6), "gallery.png");
        var inBlock = await f.UploadIdAsync(site, MediaSamples.Png(2, 2, 7, 7, 7), "block.png");
        var original = await f.UploadIdAsync(site, MediaSamples.Png(3, 3, 8, 8, 8), "original.png");
        var copy = await f.UploadIdAsync(site, MediaSamples.Png(3, 3, 8, 8, 8), "copy.png");
        var wide = await f.UploadIdAsync(site, MediaSamples.Gif(3000, 20), "wide.gif");
        var heavy = await f.UploadIdAsync(site, MediaSamples.Jpeg(10, 10, paddingApp1: 6000), "heavy.jpg");

        // The resized variant WordPress would insert counts as the file itself.
        var url = byUrl.GetProperty("url").GetString()!.Replace(".png", "-300x200.png", StringComparison.Ordinal);
        await ScanKit.PostAsync(f.Services, site, "featured only", thumbnailId: featured);
        await ScanKit.PostAsync(f.Services, site,
            $"<img class=\"wp-image-{byClass}\" src=\"x\"> <img src=\"{url}\"> [gallery ids=\"{inGallery},{wide}\"] " +
            $"<!-- wp:image {{\"id\":{inBlock},\"sizeSlug\":\"large\"}} --><figure></figure><!-- /wp:image --> " +
            $"<img class=\"wp-image-{original}\"><img class=\"wp-image-{copy}\"><a href=\"/?attachment_id={heavy}\">file</a>");

        var done = await ScanAsync(site, new { max_bytes = 4000 });
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var progress = done.GetProperty("progress");
        Assert.Equal(progress.GetProperty("total").GetInt32(), progress.GetProperty("processed").GetInt32());
        Assert.Equal(3 + 11, progress.GetProperty("total").GetInt32());
        var counts = done.GetProperty("counts");
        Assert.Equal(1, counts.GetProperty("unused").GetInt32());
        Assert.Equal(1, counts.GetProperty("duplicate").GetInt32());
        Assert.Equal(2, counts.GetProperty("oversized").GetInt32());
        Assert.Equal(4, done.GetProperty("result_count").GetInt32());
        Assert.Equal(2560, done.GetProperty("options").GetProperty("max_pixels").GetInt32());

        Assert.Equal([unused], Ids(await ResultsAsync(site, "unused")));
        var duplicate = Assert.Single(await ResultsAsync(site, "duplicate"));
        Assert.Equal(copy, duplicate.GetProperty("attachment_id").GetInt64());
        Assert.Equal(original, duplicate.GetProperty("detail").GetProperty("duplicate_of").GetInt64());
        var oversized = await ResultsAsync(site, "oversized");
        Assert.Equal(new[] { wide, heavy }.Order().ToArray(), Ids(oversized));
        Assert.True(oversized.Single(r => r.GetProperty("attachment_id").GetInt64() == wide).GetProperty("detail").GetProperty("over_pixels").GetBoolean());
        Assert.True(oversized.Single(r => r.GetProperty("attachment_id").GetInt64() == heavy).GetProperty("detail").GetProperty("over_bytes").GetBoolean());
        Assert.Equal(4, (await ResultsAsync(site)).Count);
        Assert.DoesNotContain(attached, Ids(await ResultsAsync(site)));

        var page = await f.Harness.OkAsync("arthur", "vmfo-cleanup/list-results", new { per_page = 3, page = 2 }, site);
        Assert.Equal(4, page.GetProperty("total").GetInt32());
        Assert.Single(page.GetProperty("items").EnumerateArray());

        // Only what was asked for.
        var onlyUnused = await ScanAsync(site, new { types = new[] { "duplicate" } });
        Assert.Equal(11, onlyUnused.GetProperty("progress").GetProperty("total").GetInt32());
        Assert.Equal([copy], Ids(await ResultsAsync(site, scanId: onlyUnused.GetProperty("id").GetInt64())));
    }

    [Fact]
    public async Task StartScan_BadInputAndTooLittleCapability_AreRefusedWithReasons()
    {
        var site = await f.NewSiteAsync();
        var author = await f.Harness.CallAsync("arthur", Start, new { }, site);
        Assert.Equal(CallOutcome.Refused, author.Outcome);
        Assert.Equal("your role (author) lacks the capability manage_options needed for vmfo-cleanup/start-scan", author.Message);
        var editor = await f.Harness.CallAsync("erin", Start, new { }, site);
        Assert.Contains("lacks the capability manage_options", editor.Message, StringComparison.Ordinal);

        var bogus = await f.Harness.CallAsync("alice", Start, new { types = new[] { "bogus" } }, site);
        Assert.Equal(CallOutcome.Invalid, bogus.Outcome);
        Assert.Equal("invalid arguments: types[0] must be one of unused, duplicate, oversized", bogus.Message);
        var zero = await f.Harness.CallAsync("alice", Start, new { max_pixels = 0 }, site);
        Assert.Equal("invalid arguments: max_pixels must be at least 1", zero.Message);
        var empty = await f.Harness.CallAsync("alice", Start, new { types = Array.Empty<string>() }, site);
        Assert.Equal("invalid arguments: types must have at least 1 item(s)", empty.Message);

        var none = await f.Harness.CallAsync("erin", Status, new { }, site);
        Assert.Equal(CallOutcome.NotFound, none.Outcome);
        Assert.Equal("no cleanup scan has been started on this site yet", none.Message);
        var missing = await f.Harness.CallAsync("erin", Status, new { scan_id = 987654 }, site);
        Assert.Equal("no cleanup scan with id 987654 on this site", missing.Message);
        var cancelMissing = await f.Harness.CallAsync("alice", "vmfo-cleanup/cancel-scan", new { scan_id = 987654 }, site);
        Assert.Equal(CallOutcome.NotFound, cancelMissing.Outcome);
        var cancelByAuthor = await f.Harness.CallAsync("arthur", "vmfo-cleanup/cancel-scan", new { scan_id = 1 }, site);
        Assert.Contains("lacks the capability manage_options needed for vmfo-cleanup/cancel-scan", cancelByAuthor.Message, StringComparison.Ordinal);

        // A scan of another site is not this site's.
        var other = await f.NewSiteAsync();
        var scan = await ScanAsync(other);
        var foreign = await f.Harness.CallAsync("alice", Status, new { scan_id = scan.GetProperty("id").GetInt64() }, site);
        Assert.Equal(CallOutcome.NotFound, foreign.Outcome);
        // A finished scan cannot be cancelled.
        var late = await f.Harness.CallAsync("alice", "vmfo-cleanup/cancel-scan", new { scan_id = scan.GetProperty("id").GetInt64() }, other);
        Assert.Equal(CallOutcome.Failed, late.Outcome);
        Assert.Contains("has already finished (completed)", late.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Archive_ByEditorWithManageCategories_MovesIntoArchiveWithChangeRecords()
    {
        var site = await f.NewSiteAsync();
        var siteId = await ScanKit.SiteIdAsync(f.Services, site);
        var folder = (await f.Harness.OkAsync("alice", "vmfo/create-folder", new { name = "Misc" }, site)).GetProperty("id").GetInt64();
        var a = await f.UploadIdAsync(site, MediaSamples.Png(2, 2, 9, 1, 1), "a.png", new { folder_id = folder });
        var b = await f.UploadIdAsync(site, MediaSamples.Png(2, 2, 9, 2, 2), "b.png");
        await ScanAsync(site, new { types = new[] { "unused" } });
        var results = await ResultsAsync(site, "unused");
        var resultA = results.Single(r => r.GetProperty("attachment_id").GetInt64() == a).GetProperty("result_id").GetInt64();

        var author = await f.Harness.CallAsync("arthur", "vmfo-cleanup/archive", new { attachment_ids = new[] { a } }, site);
        Assert.Equal("your role (author) lacks the capability manage_categories needed for vmfo-cleanup/archive", author.Message);
        var nothing = await f.Harness.CallAsync("erin", "vmfo-cleanup/archive", new { }, site);
        Assert.Equal(CallOutcome.Invalid, nothing.Outcome);
        Assert.Equal("give attachment_ids, result_ids, or both", nothing.Message);

        var archived = await f.Harness.OkAsync("erin", "vmfo-cleanup/archive", new { result_ids = new[] { resultA, 99999999 }, attachment_ids = new[] { b, 88888 } }, site);
        Assert.Equal("Archive", archived.GetProperty("folder_path").GetString());
        Assert.Equal(2, archived.GetProperty("changed").GetInt32());
        var statuses = archived.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetInt64(), r => r.GetProperty("status").GetString());
        Assert.Equal("archived", statuses[a]);
        Assert.Equal("archived", statuses[b]);
        Assert.Equal("not_found", statuses[99999999]);
        Assert.Equal("not_found", statuses[88888]);

        var archive = archived.GetProperty("folder_id").GetInt64();
        var list = await f.Harness.OkAsync("alice", "vmfo/list-folders", new { search = "Archive" }, site);
        Assert.Equal(2, list.GetProperty("folders").EnumerateArray().Single(x => x.GetProperty("id").GetInt64() == archive).GetProperty("count").GetInt32());
        var moveA = (await ScanKit.ChangesAsync(f.Services, siteId, a)).Last();
        Assert.Equal("move", moveA.Action);
        Assert.Contains($"\"folder_id\":{folder}", moveA.Before, StringComparison.Ordinal);
        Assert.Contains(await ScanKit.DbAsync(f.Services, db => db.ChangeRecords.Where(c => c.SiteId == siteId && c.ObjectType == "media_folder" && c.ObjectId == archive).Select(c => c.Action).ToListAsync()), x => x == "create");
        Assert.All((await ResultsAsync(site, "unused")).Where(r => r.GetProperty("attachment_id").GetInt64() is var id && (id == a || id == b)),
            r => Assert.True(r.GetProperty("applied").GetBoolean()));

        // Again: the folder is reused and nothing moves.
        var again = await f.Harness.OkAsync("alice", "vmfo-cleanup/archive", new { attachment_ids = new[] { a } }, site);
        Assert.Equal(archive, again.GetProperty("folder_id").GetInt64());
        Assert.Equal(0, again.GetProperty("changed").GetInt32());
        Assert.Equal("unchanged", again.GetProperty("results")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Trash_NeedsManageOptions_AndKeepsTheStatusForUndo()
    {
        var site = await f.NewSiteAsync();
        var siteId = await ScanKit.SiteIdAsync(f.Services, site);
        var id = await f.UploadIdAsync(site, MediaSamples.Png(2, 2, 10, 1, 1), "t.png");
        var editor = await f.Harness.CallAsync("erin", "vmfo-cleanup/trash", new { attachment_ids = new[] { id } }, site);
        Assert.Equal("your role (editor) lacks the capability manage_options needed for vmfo-cleanup/trash", editor.Message);
        var bad = await f.Harness.CallAsync("alice", "vmfo-cleanup/trash", new { attachment_ids = new[] { 0 } }, site);
        Assert.Equal("invalid arguments: attachment_ids[0] must be at least 1", bad.Message);

        var trashed = await f.Harness.OkAsync("alice", "vmfo-cleanup/trash", new { attachment_ids = new[] { id } }, site);
        Assert.Equal(1, trashed.GetProperty("changed").GetInt32());
        Assert.Equal(PostStatuses.Trash, await ScanKit.DbAsync(f.Services, db => db.Posts.Where(p => p.SiteId == siteId && p.Id == id).Select(p => p.Status).FirstAsync()));
        var change = (await ScanKit.ChangesAsync(f.Services, siteId, id)).Last();
        Assert.Equal("trash", change.Action);
        Assert.Equal("{\"status\":\"inherit\"}", change.Before);
        var again = await f.Harness.OkAsync("alice", "vmfo-cleanup/trash", new { attachment_ids = new[] { id } }, site);
        Assert.Equal("unchanged", again.GetProperty("results")[0].GetProperty("status").GetString());

        var stats = await f.Harness.OkAsync("erin", "vmfo-cleanup/get-stats", new { }, site);
        Assert.Equal(1, stats.GetProperty("trashed").GetInt32());
    }

    [Fact]
    public async Task Delete_RemovesTheFileAndEveryReference_AfterRecordingWhatWasThere()
    {
        var site = await f.NewSiteAsync();
        var siteId = await ScanKit.SiteIdAsync(f.Services, site);
        var folder = (await f.Harness.OkAsync("alice", "vmfo/create-folder", new { name = "Doomed" }, site)).GetProperty("id").GetInt64();
        var uploaded = await f.UploadAsync(site, MediaSamples.Png(4, 4, 11, 1, 1), "doomed.png", new { folder_id = folder, alt_text = "a doomed square" });
        var id = uploaded.GetProperty("id").GetInt64();
        var keep = await f.UploadIdAsync(site, MediaSamples.Png(4, 4, 11, 2, 2), "keep.png");
        var post = await ScanKit.PostAsync(f.Services, site, "with a featured image", thumbnailId: id);
        await ScanKit.DbAsync(f.Services, async db =>
        {
            db.PostMeta.Add(new PostMeta { SiteId = siteId, PostId = id, Key = "_wp_attachment_metadata", Value = "{\"width\":4}" });
            return await db.SaveChangesAsync();
        });
        // A duplicate finding for it, so a scan result must go too.
        var twin = await f.UploadIdAsync(site, MediaSamples.Png(4, 4, 11, 1, 1), "twin.png");
        await ScanAsync(site, new { types = new[] { "duplicate" } });
        Assert.Equal([twin], Ids(await ResultsAsync(site, "duplicate")));
        await ScanAsync(site, new { types = new[] { "unused" } });
        Assert.Contains(twin, Ids(await ResultsAsync(site, "unused")));
        var storagePath = await ScanKit.DbAsync(f.Services, db => db.MediaFiles.Where(m => m.SiteId == siteId && m.PostId == twin).Select(m => m.StoragePath!).FirstAsync());
        var file = Path.Combine(f.MediaRoot, siteId.ToString(System.Globalization.CultureInfo.InvariantCulture), storagePath.Replace('/', Path.DirectorySeparatorChar));
        Assert.True(File.Exists(file));

        var editor = await f.Harness.CallAsync("erin", "vmfo-cleanup/delete", new { attachment_ids = new[] { id } }, site);
        Assert.Equal("your role (editor) lacks the capability manage_options needed for vmfo-cleanup/delete", editor.Message);
        var notMedia = await f.Harness.OkAsync("alice", "vmfo-cleanup/delete", new { attachment_ids = new[] { post } }, site);
        Assert.Equal("not_found", notMedia.GetProperty("results")[0].GetProperty("status").GetString());

        var twinResult = (await ResultsAsync(site, "unused")).Single(r => r.GetProperty("attachment_id").GetInt64() == twin).GetProperty("result_id").GetInt64();
        var deleted = await f.Harness.OkAsync("alice", "vmfo-cleanup/delete", new { attachment_ids = new[] { id }, result_ids = new[] { twinResult } }, site);
        Assert.Equal(2, deleted.GetProperty("changed").GetInt32());
        var first = deleted.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == id);
        Assert.Equal($"also removed as the featured image of post(s) {post}", first.GetProperty("message").GetString());

        Assert.False(File.Exists(file));
        var doomedPath = Path.Combine(f.MediaRoot, siteId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            uploaded.GetProperty("url").GetString()!.Split("/wp-content/uploads/")[1].Replace('/', Path.DirectorySeparatorChar));
        Assert.False(File.Exists(doomedPath));
        var left = await ScanKit.DbAsync(f.Services, async db => new
        {
            Posts = await db.Posts.CountAsync(p => p.SiteId == siteId && (p.Id == id || p.Id == twin)),
            Media = await db.MediaFiles.CountAsync(m => m.SiteId == siteId && (m.PostId == id || m.PostId == twin)),
            OwnMeta = await db.PostMeta.CountAsync(m => m.SiteId == siteId && (m.PostId == id || m.PostId == twin)),
            Thumbnails = await db.PostMeta.CountAsync(m => m.SiteId == siteId && m.Key == "_thumbnail_id"),
            Results = await db.MediaScanResults.CountAsync(r => r.SiteId == siteId && (r.AttachmentId == id || r.AttachmentId == twin)),
            InFolder = await db.MediaFiles.CountAsync(m => m.FolderId == folder),
            Keep = await db.MediaFiles.CountAsync(m => m.SiteId == siteId && m.PostId == keep),
        });
        Assert.Equal(new { Posts = 0, Media = 0, OwnMeta = 0, Thumbnails = 0, Results = 0, InFolder = 0, Keep = 1 }, left);

        var change = (await ScanKit.ChangesAsync(f.Services, siteId, id)).Last();
        Assert.Equal("delete", change.Action);
        using var before = JsonDocument.Parse(change.Before!);
        Assert.Equal("a doomed square", before.RootElement.GetProperty("media").GetProperty("alt_text").GetString());
        Assert.Equal(folder, before.RootElement.GetProperty("media").GetProperty("folder_id").GetInt64());
        Assert.Equal("_wp_attachment_metadata", before.RootElement.GetProperty("meta")[0].GetProperty("key").GetString());
        Assert.Equal([post], before.RootElement.GetProperty("featured_image_of").EnumerateArray().Select(e => e.GetInt64()));
        Assert.True(before.RootElement.GetProperty("file_deleted").GetBoolean());
        Assert.False(before.RootElement.GetProperty("file_restorable").GetBoolean());

        // The public address answers 404 now.
        using var http = f.Harness.Server.Anonymous();
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(new Uri(uploaded.GetProperty("url").GetString()!))).StatusCode);
    }

    [Fact]
    public async Task Stats_CountsAndBytesByType_WithTheLastScan()
    {
        var site = await f.NewSiteAsync();
        var png = MediaSamples.Png(2, 2, 12, 1, 1);
        var pdf = MediaSamples.Pdf();
        await f.UploadIdAsync(site, png, "s.png");
        await f.UploadIdAsync(site, MediaSamples.Png(2, 2, 12, 2, 2), "t.png");
        var folder = (await f.Harness.OkAsync("alice", "vmfo/create-folder", new { name = "Docs" }, site)).GetProperty("id").GetInt64();
        await f.UploadIdAsync(site, pdf, "doc.pdf", new { folder_id = folder });

        var before = await f.Harness.OkAsync("arthur", "vmfo-cleanup/get-stats", new { }, site);
        Assert.Equal(JsonValueKind.Null, before.GetProperty("last_scan").ValueKind);
        Assert.Equal(3, before.GetProperty("count").GetInt32());
        Assert.Equal(2, before.GetProperty("unassigned").GetInt32());
        var types = before.GetProperty("by_type").EnumerateArray().ToDictionary(t => t.GetProperty("type").GetString()!, t => (t.GetProperty("count").GetInt32(), t.GetProperty("bytes").GetInt64()));
        Assert.Equal((1, (long)pdf.Length), types["document"]);
        Assert.Equal(2, types["image"].Item1);
        Assert.Equal(before.GetProperty("bytes").GetInt64(), types.Values.Sum(v => v.Item2));

        var scan = await ScanAsync(site);
        var after = await f.Harness.OkAsync("arthur", "vmfo-cleanup/get-stats", new { }, site);
        Assert.Equal(scan.GetProperty("id").GetInt64(), after.GetProperty("last_scan").GetProperty("id").GetInt64());
        Assert.Equal("completed", after.GetProperty("last_scan").GetProperty("status").GetString());
    }
}
