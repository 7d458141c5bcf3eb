using System.Text.Json;
using PressMcp.Activity;
using PressMcp.Abilities;

namespace PressMcp.Tests.Media.Scans;

/// <summary>
/// The organizer with a chat model (a fake <c>IChatClient</c> in the server), and the scan mechanism observed mid-run:
/// progress and results while it runs, one scan of a kind per site, a queued scan that never starts once cancelled.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class OrganizerModelTests(ModelScanFixture f) : IClassFixture<ModelScanFixture>
{
    private const string Start = "vmfo-ai-organizer/start-scan";
    private const string Status = "vmfo-ai-organizer/get-scan-status";

    private static long ItemId(JsonElement question) => question.GetProperty("items")[0].GetProperty("id").GetInt64();
    private static string FileName(JsonElement question) => question.GetProperty("items")[0].GetProperty("file_name").GetString()!;

    /// <summary>Waits until the runner has picked scan <paramref name="scanId"/> up and found its site busy.</summary>
    private Task WaitsForItsSiteAsync(long scanId) =>
        f.RunnerLog.WaitForAsync(m => m.StartsWith($"Media scan {scanId} waits:", StringComparison.Ordinal));

    [Fact]
    public async Task ModelAnswers_AreUsedOnlyWhenTheyNameAnExistingFolder_ElseTheHeuristicDecides()
    {
        var s = await OrganizerSite.CreateAsync(f);
        var extra = await f.UploadIdAsync(s.Slug, MediaSamples.Png(2, 2, 21, 1, 1), "beach-extra.png");
        f.Chat.Answer = q => FileName(q) switch
        {
            // Disagrees with the heuristic (which says Photos/Beach) and names the folder by path, in another case.
            "beach-sunset.png" => $"{{\"proposals\":[{{\"media_id\":{ItemId(q)},\"folder\":\"receipts\",\"why\":\"looks like paperwork\"}}]}}",
            "receipt-march.pdf" => $"Sure! {{\"proposals\":[{{\"media_id\":{ItemId(q)},\"folder\":987654}}]}}",
            "zzz.png" => "I cannot help with that.",
            // An answer about an item it was not asked about counts for nothing.
            _ => $"{{\"proposals\":[{{\"media_id\":{s.Receipt},\"folder\":{s.Photos}}}]}}",
        };
        var started = await f.Harness.OkAsync("alice", Start, new { mode = "apply", dry_run = true }, s.Slug);
        Assert.Equal("model", started.GetProperty("options").GetProperty("engine").GetString());
        var done = await ScanKit.WaitAsync(f.Services, Status, started.GetProperty("id").GetInt64(), s.Slug);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var p = done.GetProperty("proposals").EnumerateArray().ToDictionary(x => x.GetProperty("attachment_id").GetInt64(), x => x);

        var sunset = p[s.Sunset];
        Assert.Equal(s.Receipts, sunset.GetProperty("proposed_folder_id").GetInt64());
        Assert.Equal("model", sunset.GetProperty("detail").GetProperty("source").GetString());
        Assert.Equal("looks like paperwork", sunset.GetProperty("detail").GetProperty("model_note").GetString());

        var receipt = p[s.Receipt];
        Assert.Equal(s.Receipts, receipt.GetProperty("proposed_folder_id").GetInt64());
        Assert.Equal("heuristic", receipt.GetProperty("detail").GetProperty("source").GetString());
        Assert.Equal("the chat model proposed 987654, which is not a folder of this site", receipt.GetProperty("detail").GetProperty("model_fallback").GetString());

        var blank = p[s.Blank];
        Assert.Equal("unmatched", blank.GetProperty("reason").GetString());
        Assert.Equal("the chat model's answer held no JSON object", blank.GetProperty("detail").GetProperty("model_fallback").GetString());

        var other = p[extra];
        Assert.Equal(s.Beach, other.GetProperty("proposed_folder_id").GetInt64());
        Assert.Equal("the chat model gave no answer for this item", other.GetProperty("detail").GetProperty("model_fallback").GetString());

        // The model saw the site's folders by id and path, and the item's facts.
        var asked = f.Chat.Questions.Last(q => FileName(q) == "beach-sunset.png");
        Assert.Contains(asked.GetProperty("folders").EnumerateArray(), x => x.GetProperty("path").GetString() == "Photos/Beach" && x.GetProperty("id").GetInt64() == s.Beach);
        Assert.Equal("image/png", asked.GetProperty("items")[0].GetProperty("mime_type").GetString());
        // A dry run moves nothing.
        Assert.All((await s.FoldersAsync(f)).Where(x => x.Key != s.Placed), x => Assert.Null(x.Value));
    }

    [Fact]
    public async Task RunningScan_ShowsProgress_BlocksASecondOfItsKind_AndCancelStopsItAndTheQueuedOne()
    {
        var s = await OrganizerSite.CreateAsync(f);
        var gate = new SemaphoreSlim(0);
        f.Chat.Gate = gate;
        f.Chat.Answer = q => $"{{\"proposals\":[{{\"media_id\":{ItemId(q)},\"folder\":{s.Photos}}}]}}";
        try
        {
            var started = await f.Harness.OkAsync("alice", Start, new { mode = "apply" }, s.Slug);
            var id = started.GetProperty("id").GetInt64();
            gate.Release();
            var midway = await ScanKit.WaitAsync(f.Services, Status, id, s.Slug, x => x.GetProperty("progress").GetProperty("processed").GetInt32() == 1);
            Assert.Equal("running", midway.GetProperty("status").GetString());
            Assert.Equal(3, midway.GetProperty("progress").GetProperty("total").GetInt32());
            Assert.Equal(1, midway.GetProperty("result_count").GetInt32());
            var first = Assert.Single(midway.GetProperty("proposals").EnumerateArray());
            Assert.True(first.GetProperty("applied").GetBoolean());
            Assert.NotEqual(JsonValueKind.Null, midway.GetProperty("heartbeat_at").ValueKind);

            var second = await f.Harness.CallAsync("alice", Start, new { }, s.Slug);
            Assert.Equal(CallOutcome.Failed, second.Outcome);
            Assert.Equal($"organizer scan {id} is still running on this site; wait for it to finish or cancel it first", second.Message);

            // Another kind may be started, but waits: one scan at a time per site.
            var cleanup = await f.Harness.OkAsync("alice", "vmfo-cleanup/start-scan", new { }, s.Slug);
            var cleanupId = cleanup.GetProperty("id").GetInt64();
            await WaitsForItsSiteAsync(cleanupId);
            Assert.Equal("queued", (await f.Harness.OkAsync("alice", "vmfo-cleanup/get-scan-status", new { scan_id = cleanupId }, s.Slug)).GetProperty("status").GetString());
            var cancelledQueued = await f.Harness.OkAsync("alice", "vmfo-cleanup/cancel-scan", new { scan_id = cleanupId }, s.Slug);
            Assert.Equal("cancelled", cancelledQueued.GetProperty("status").GetString());

            // The cancelled one gave up waiting without freeing the site: the next one still waits for the running scan.
            var waiting = await f.Harness.OkAsync("alice", "vmfo-cleanup/start-scan", new { }, s.Slug);
            var waitingId = waiting.GetProperty("id").GetInt64();
            await WaitsForItsSiteAsync(waitingId);
            Assert.Equal("queued", (await f.Harness.OkAsync("alice", "vmfo-cleanup/get-scan-status", new { scan_id = waitingId }, s.Slug)).GetProperty("status").GetString());

            var cancelled = await f.Harness.OkAsync("alice", "vmfo-ai-organizer/cancel-scan", new { scan_id = id }, s.Slug);
            Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
            gate.Release(10);
            // The waiting scan runs only once the organizer's run has ended and let go of the site: after that, nothing can change it.
            var freed = await ScanKit.WaitAsync(f.Services, "vmfo-cleanup/get-scan-status", waitingId, s.Slug);
            Assert.Equal("completed", freed.GetProperty("status").GetString());
            var after = await f.Harness.OkAsync("alice", Status, new { scan_id = id }, s.Slug);
            Assert.Equal("cancelled", after.GetProperty("status").GetString());
            Assert.Equal(1, after.GetProperty("progress").GetProperty("processed").GetInt32());
            Assert.Equal(1, after.GetProperty("result_count").GetInt32());
            Assert.Equal(1, (await s.FoldersAsync(f)).Count(x => x.Value == s.Photos));
            var queued = await f.Harness.OkAsync("alice", "vmfo-cleanup/get-scan-status", new { scan_id = cleanupId }, s.Slug);
            Assert.Equal("cancelled", queued.GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.Null, queued.GetProperty("started_at").ValueKind);
            Assert.Equal(0, queued.GetProperty("progress").GetProperty("total").GetInt32());
            var again = await f.Harness.CallAsync("alice", "vmfo-ai-organizer/cancel-scan", new { scan_id = id }, s.Slug);
            Assert.True(again.Succeeded, again.Message);

            // The site is free again.
            var next = await f.Harness.OkAsync("alice", "vmfo-cleanup/start-scan", new { }, s.Slug);
            var finished = await ScanKit.WaitAsync(f.Services, "vmfo-cleanup/get-scan-status", next.GetProperty("id").GetInt64(), s.Slug);
            Assert.Equal("completed", finished.GetProperty("status").GetString());
        }
        finally
        {
            f.Chat.Gate = null;
            gate.Release(100);
        }
    }
}
