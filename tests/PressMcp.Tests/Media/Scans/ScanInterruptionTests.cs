using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Mcp.Settings;
using PressMcp.Media.Scans;

namespace PressMcp.Tests.Media.Scans;

/// <summary>A scan cut off by a stop, a crash or a restart is reported as interrupted, never left running or lost.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class ScanInterruptionTests
{
    private static readonly Dictionary<string, string?> SlowPoll = new()
    {
        ["Media:Scans:HeartbeatSeconds"] = "1",
        ["Media:Scans:StaleAfterSeconds"] = "30",
        // No sweeping by the poll: only start-up and status reads may mark a scan interrupted here.
        ["Media:Scans:PollSeconds"] = "3600",
    };

    private static MediaScan Running(long siteId, string kind, DateTime heartbeat) => new()
    {
        SiteId = siteId,
        Kind = kind,
        Options = "{\"types\":[\"unused\"],\"max_bytes\":1,\"max_pixels\":1}",
        Status = ScanStatuses.Running,
        Processed = 3,
        Total = 10,
        CreatedUtc = heartbeat,
        StartedUtc = heartbeat,
        HeartbeatUtc = heartbeat,
    };

    private static async Task<long> InsertAsync(IServiceProvider services, MediaScan scan) =>
        await ScanKit.DbAsync(services, async db =>
        {
            db.MediaScans.Add(scan);
            await db.SaveChangesAsync();
            return scan.Id;
        });

    [Fact]
    public async Task StatusRead_MarksARunningScanWithAStaleHeartbeatInterrupted()
    {
        await using var h = await AbilityHarness.StartAsync(SlowPoll);
        await h.EnableAsync("alice");
        var siteId = await ScanKit.SiteIdAsync(h.Services, "garden");
        // Another instance's scan, alive a moment ago: it beats no more.
        var id = await InsertAsync(h.Services, Running(siteId, ScanKinds.Cleanup, h.Server.Clock.GetUtcNow().UtcDateTime));

        var fresh = await h.OkAsync("alice", "vmfo-cleanup/get-scan-status", new { scan_id = id });
        Assert.Equal("running", fresh.GetProperty("status").GetString());
        h.Server.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("running", (await h.OkAsync("alice", "vmfo-cleanup/get-scan-status", new { scan_id = id })).GetProperty("status").GetString());

        h.Server.Clock.Advance(TimeSpan.FromSeconds(2));
        var stale = await h.OkAsync("alice", "vmfo-cleanup/get-scan-status", new { scan_id = id });
        Assert.Equal("interrupted", stale.GetProperty("status").GetString());
        Assert.Equal(ScanStore.InterruptedMessage, stale.GetProperty("error").GetString());
        Assert.Equal(3, stale.GetProperty("progress").GetProperty("processed").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, stale.GetProperty("finished_at").ValueKind);
        // The site is free for a new scan.
        var next = await h.OkAsync("alice", "vmfo-cleanup/start-scan", new { });
        Assert.Equal("queued", next.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Restart_StoppedScanIsInterruptedAtOnce_CrashedScanAtStartUp()
    {
        var store = await TestStore.CreateAsync();
        await using var _ = store;
        var chat = new FakeChatClient { Gate = new SemaphoreSlim(0) };
        long organizer, crashed;
        await using (var first = await TestServer.StartAsync(store, configureHost: b =>
        {
            b.Configuration.AddInMemoryCollection(SlowPoll);
            FakeChatClient.Register(b.Services, chat);
        }))
        {
            await first.CreateUserAsync("alice", "correct horse battery");
            await ScanKit.Cli(first, "site", "create", "--slug", "garden", "--title", "Garden", "--owner", "alice");
            await using (var scope = first.Services.CreateAsyncScope())
            {
                var settings = scope.ServiceProvider.GetRequiredService<McpSettingsStore>();
                var alice = await ScanKit.DbAsync(first.Services, db => db.Users.Where(u => u.UserName == "alice").Select(u => u.Id).FirstAsync());
                await settings.SetEnabledAsync(alice, true);
                await settings.SetToolsAsync(alice, scope.ServiceProvider.GetRequiredService<AbilityRegistry>().All.ToDictionary(a => a.Name, _ => true));
            }
            // The model is asked only when there are folders to choose from.
            await ScanKit.OkAsync(first.Services, "alice", "vmfo/create-folder", new { name = "Photos" }, "garden");
            await ScanKit.OkAsync(first.Services, "alice", "media/upload", new { data = Convert.ToBase64String(MediaSamples.Png(2, 2)), filename = "a.png" }, "garden");
            var started = await ScanKit.OkAsync(first.Services, "alice", "vmfo-ai-organizer/start-scan", new { }, "garden");
            organizer = started.GetProperty("id").GetInt64();
            await ScanKit.WaitAsync(first.Services, "vmfo-ai-organizer/get-scan-status", organizer, "garden", s => s.GetProperty("status").GetString() == "running" && !chat.Questions.IsEmpty);

            // A scan of an instance that died ten minutes ago, never swept since.
            var siteId = await ScanKit.SiteIdAsync(first.Services, "garden");
            crashed = await InsertAsync(first.Services, Running(siteId, ScanKinds.Cleanup, DateTime.UtcNow.AddMinutes(-10)));
        }

        // Stopped with the server: said at once, not after the stale limit.
        await using (var second = await TestServer.StartAsync(store, configureHost: b => b.Configuration.AddInMemoryCollection(SlowPoll)))
        {
            var stopped = await ScanKit.DbAsync(second.Services, db => db.MediaScans.AsNoTracking().FirstAsync(s => s.Id == organizer));
            Assert.Equal(ScanStatuses.Interrupted, stopped.Status);
            Assert.Equal("the server stopped while this scan ran; start a new scan", stopped.Error);

            // Start-up sweeps the crashed one without anyone asking.
            var until = DateTime.UtcNow.AddSeconds(20);
            MediaScan row;
            while ((row = await ScanKit.DbAsync(second.Services, db => db.MediaScans.AsNoTracking().FirstAsync(s => s.Id == crashed))).Status == ScanStatuses.Running && DateTime.UtcNow < until)
                await Task.Delay(100);
            Assert.Equal(ScanStatuses.Interrupted, row.Status);
            Assert.Equal(ScanStore.InterruptedMessage, row.Error);

            var status = await ScanKit.OkAsync(second.Services, "alice", "vmfo-cleanup/get-scan-status", new { }, "garden");
            Assert.Equal("interrupted", status.GetProperty("status").GetString());
            Assert.Equal(crashed, status.GetProperty("id").GetInt64());
        }
    }
}
