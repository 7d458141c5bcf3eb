using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Media.Scans;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Storage;

/// <summary>The scan tables' conditional updates and queries; test.sh runs these on SQLite and again on PostgreSQL.</summary>
[Trait(Category.Name, Category.Storage)]
public sealed class MediaScanStorageTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private TestServices _services = null!;
    private static readonly ScanOptions Options = new() { HeartbeatSeconds = 5, StaleAfterSeconds = 60 };

    public async ValueTask InitializeAsync() => _services = await TestServices.CreateAsync(_clock);

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private async Task<(long SiteId, long UserId)> SeedAsync()
    {
        await using var scope = _services.Scope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        var owner = (await accounts.CreateAsync(new NewUser("owner", "owner@example.com", "correct horse battery"))).Value!;
        var site = (await scope.ServiceProvider.GetRequiredService<SiteDirectory>().CreateAsync(new NewSite("news", "News", "owner"))).Value!;
        return (site.Id, owner.Id);
    }

    private async Task<T> WithStoreAsync<T>(Func<ScanStore, PressDbContext, Task<T>> work)
    {
        await using var scope = _services.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        return await work(new ScanStore(db, Options, _clock), db);
    }

    [Fact]
    public async Task Create_OneQueuedOrRunningPerKindAndSite_CancelIsConditional()
    {
        var (siteId, userId) = await SeedAsync();
        var first = await WithStoreAsync((s, _) => s.CreateAsync(siteId, ScanKinds.Cleanup, "{}", userId, Guid.NewGuid(), default));
        Assert.True(first.Succeeded);
        Assert.Equal(ScanStatuses.Queued, first.Value!.Status);
        var second = await WithStoreAsync((s, _) => s.CreateAsync(siteId, ScanKinds.Cleanup, "{}", userId, Guid.NewGuid(), default));
        Assert.Equal(ErrorKind.Conflict, second.Problem?.Kind);
        var otherKind = await WithStoreAsync((s, _) => s.CreateAsync(siteId, ScanKinds.Organizer, "{}", userId, Guid.NewGuid(), default));
        Assert.True(otherKind.Succeeded);

        var cancelled = await WithStoreAsync((s, _) => s.CancelAsync(siteId, ScanKinds.Cleanup, first.Value.Id, default));
        Assert.Equal(ScanStatuses.Cancelled, cancelled.Value!.Status);
        Assert.NotNull(cancelled.Value.FinishedUtc);
        // The claim a runner makes fails on a cancelled row: a queued scan that was cancelled never starts.
        var claimed = await WithStoreAsync((_, db) => db.MediaScans.Where(x => x.Id == first.Value.Id && x.Status == ScanStatuses.Queued)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.Status, ScanStatuses.Running)));
        Assert.Equal(0, claimed);
        var wrongKind = await WithStoreAsync((s, _) => s.CancelAsync(siteId, ScanKinds.Organizer, first.Value.Id, default));
        Assert.Equal(ErrorKind.NotFound, wrongKind.Problem?.Kind);
        Assert.True((await WithStoreAsync((s, _) => s.CreateAsync(siteId, ScanKinds.Cleanup, "{}", userId, Guid.NewGuid(), default))).Succeeded);
    }

    [Fact]
    public async Task Sweep_InterruptsOnlyRunningScansWithAStaleHeartbeat()
    {
        var (siteId, _) = await SeedAsync();
        var now = _clock.GetUtcNow().UtcDateTime;
        var ids = await WithStoreAsync(async (_, db) =>
        {
            MediaScan Row(string status, DateTime? beat) => new() { SiteId = siteId, Kind = ScanKinds.Cleanup, Status = status, HeartbeatUtc = beat, CreatedUtc = now };
            var rows = new[]
            {
                Row(ScanStatuses.Running, now.AddSeconds(-61)),
                Row(ScanStatuses.Running, now.AddSeconds(-59)),
                Row(ScanStatuses.Running, null),
                Row(ScanStatuses.Queued, null),
                Row(ScanStatuses.Completed, now.AddHours(-1)),
            };
            db.MediaScans.AddRange(rows);
            await db.SaveChangesAsync();
            return rows.Select(r => r.Id).ToArray();
        });
        Assert.Equal(2, await WithStoreAsync((s, _) => s.SweepStaleAsync(default)));
        var statuses = await WithStoreAsync((_, db) => db.MediaScans.AsNoTracking().OrderBy(x => x.Id).Select(x => new { x.Status, x.Error }).ToListAsync());
        Assert.Equal([ScanStatuses.Interrupted, ScanStatuses.Running, ScanStatuses.Interrupted, ScanStatuses.Queued, ScanStatuses.Completed], statuses.Select(x => x.Status));
        Assert.Equal(ScanStore.InterruptedMessage, statuses[0].Error);
        Assert.Equal(0, await WithStoreAsync((s, _) => s.SweepStaleAsync(default)));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await WithStoreAsync((s, _) => s.SweepStaleAsync(default)));
        Assert.Equal(ids[1], (await WithStoreAsync((s, _) => s.GetAsync(siteId, ScanKinds.Cleanup, ids[1], default))).Value!.Id);
    }

    [Fact]
    public async Task Results_PageByReason_AndGoWithTheirAttachment()
    {
        var (siteId, userId) = await SeedAsync();
        var scan = (await WithStoreAsync((s, _) => s.CreateAsync(siteId, ScanKinds.Cleanup, "{}", userId, Guid.NewGuid(), default))).Value!;
        await WithStoreAsync(async (_, db) =>
        {
            var now = DateTime.UtcNow;
            for (long id = 1; id <= 5; id++)
            {
                db.Posts.Add(new Post { SiteId = siteId, Id = id, Type = PostTypes.Attachment, Status = PostStatuses.Inherit, Slug = $"a{id}", DateUtc = now, ModifiedUtc = now });
                db.MediaScanResults.Add(new MediaScanResult { ScanId = scan.Id, SiteId = siteId, AttachmentId = id, Reason = id % 2 == 0 ? "duplicate" : "unused", Detail = $"{{\"n\":{id}}}" });
            }
            return await db.SaveChangesAsync();
        });
        var (total, page) = await WithStoreAsync((s, _) => s.ResultsAsync(scan.Id, "unused", 2, 2, default));
        Assert.Equal(3, total);
        Assert.Equal([5L], page.Select(r => r.AttachmentId));
        var (all, first) = await WithStoreAsync((s, _) => s.ResultsAsync(scan.Id, null, 1, 10, default));
        Assert.Equal(5, all);
        Assert.Equal([1L, 2, 3, 4, 5], first.Select(r => r.AttachmentId));

        // Removing an attachment by any path removes its findings (foreign key cascade).
        await WithStoreAsync((_, db) => db.Posts.Where(p => p.SiteId == siteId && p.Id == 2).ExecuteDeleteAsync());
        Assert.Equal(4, (await WithStoreAsync((s, _) => s.ResultsAsync(scan.Id, null, 1, 10, default))).Total);
        // And deleting the scan removes the rest.
        await WithStoreAsync((_, db) => db.MediaScans.Where(x => x.Id == scan.Id).ExecuteDeleteAsync());
        Assert.Equal(0, await WithStoreAsync((_, db) => db.MediaScanResults.CountAsync()));
    }
}
