using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Media.Scans;

/// <summary>
/// The scan rows as the abilities see them: create (queued), read, cancel, and the interruption rule. Every status
/// change is one conditional UPDATE, so concurrent requests and several instances agree on the outcome.
/// </summary>
internal sealed class ScanStore(PressDbContext db, ScanOptions options, TimeProvider clock)
{
    public const string InterruptedMessage = "the scan stopped reporting progress (the server was stopped or restarted while it ran); start a new scan";

    /// <summary>
    /// Marks every running scan whose heartbeat is older than <see cref="ScanOptions.StaleAfter"/> interrupted. Run at
    /// start-up, by the runner's poll, and before any status is read, so a scan cut off by a crash or a restart is
    /// reported, never left "running" for ever. A live scan (on any instance) keeps its heartbeat fresh and is untouched.
    /// </summary>
    public async Task<int> SweepStaleAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var limit = now - options.StaleAfter;
        return await db.MediaScans
            .Where(s => s.Status == ScanStatuses.Running && (s.HeartbeatUtc == null || s.HeartbeatUtc < limit))
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.Status, ScanStatuses.Interrupted)
                .SetProperty(s => s.FinishedUtc, now)
                .SetProperty(s => s.Error, InterruptedMessage), ct);
    }

    /// <summary>A new queued scan; refused while the site has one of the same kind queued or running.</summary>
    public async Task<Outcome<MediaScan>> CreateAsync(long siteId, string kind, string optionsJson, long userId, Guid callId, CancellationToken ct)
    {
        await SweepStaleAsync(ct);
        // The check and the insert are one transaction that holds the site: otherwise two calls at once (on one
        // instance, or on two sharing PostgreSQL) both find no scan and both start one. On PostgreSQL the site's row is
        // locked (FOR UPDATE, until commit); a SQLite transaction takes the database's write lock when it begins.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!db.Database.IsSqlite())
            await db.Database.ExecuteSqlAsync($"SELECT id FROM sites WHERE id = {siteId} FOR UPDATE", ct);
        var busy = await db.MediaScans.AsNoTracking()
            .Where(s => s.SiteId == siteId && s.Kind == kind && (s.Status == ScanStatuses.Queued || s.Status == ScanStatuses.Running))
            .OrderBy(s => s.Id).FirstOrDefaultAsync(ct);
        if (busy is not null)
            return Problem.Conflict($"{kind} scan {busy.Id} is still {busy.Status} on this site; wait for it to finish or cancel it first");
        var scan = new MediaScan
        {
            SiteId = siteId,
            Kind = kind,
            Options = optionsJson,
            StartedBy = userId,
            CallId = callId,
            CreatedUtc = clock.GetUtcNow().UtcDateTime,
        };
        db.MediaScans.Add(scan);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.Entry(scan).State = EntityState.Detached;
        return Outcome<MediaScan>.Ok(scan);
    }

    /// <summary>One scan of this site and kind (after the stale sweep); the latest when <paramref name="scanId"/> is null.</summary>
    public async Task<Outcome<MediaScan>> GetAsync(long siteId, string kind, long? scanId, CancellationToken ct)
    {
        await SweepStaleAsync(ct);
        var query = db.MediaScans.AsNoTracking().Where(s => s.SiteId == siteId && s.Kind == kind);
        var scan = scanId is { } id
            ? await query.FirstOrDefaultAsync(s => s.Id == id, ct)
            : await query.OrderByDescending(s => s.Id).FirstOrDefaultAsync(ct);
        if (scan is not null) return Outcome<MediaScan>.Ok(scan);
        return scanId is { } missing
            ? Problem.NotFound($"no {kind} scan with id {missing} on this site")
            : Problem.NotFound($"no {kind} scan has been started on this site yet");
    }

    /// <summary>
    /// Cancels a queued or running scan. A queued one never starts; a running one is told to stop (by this instance's
    /// runner at once, by another instance's at its next heartbeat, which finds the row no longer running). Without
    /// <paramref name="scanId"/> it cancels the site's scan of this kind that is queued or running, as the plugin's
    /// cancel-scan (which takes no id) does; when there is none the answer is null: nothing to cancel is not an error.
    /// </summary>
    public async Task<Outcome<MediaScan?>> CancelAsync(long siteId, string kind, long? scanId, CancellationToken ct)
    {
        long id;
        if (scanId is { } given)
        {
            var found = await GetAsync(siteId, kind, given, ct);
            if (!found.Succeeded) return found.Problem!;
            id = given;
        }
        else
        {
            await SweepStaleAsync(ct);
            var busy = await db.MediaScans.AsNoTracking()
                .Where(s => s.SiteId == siteId && s.Kind == kind && (s.Status == ScanStatuses.Queued || s.Status == ScanStatuses.Running))
                .OrderByDescending(s => s.Id).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
            if (busy is null) return Outcome<MediaScan?>.Ok(null);
            id = busy.Value;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.MediaScans
            .Where(s => s.Id == id && (s.Status == ScanStatuses.Queued || s.Status == ScanStatuses.Running))
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.Status, ScanStatuses.Cancelled)
                .SetProperty(s => s.FinishedUtc, now), ct);
        var after = await db.MediaScans.AsNoTracking().FirstAsync(s => s.Id == id, ct);
        if (changed == 0 && after.Status != ScanStatuses.Cancelled)
        {
            // The site's scan finished between the look and the update: there is nothing left to cancel.
            if (scanId is null) return Outcome<MediaScan?>.Ok(null);
            return Problem.Conflict($"scan {id} has already finished ({after.Status}); there is nothing to cancel");
        }
        return Outcome<MediaScan?>.Ok(after);
    }

    /// <summary>A page of a scan's results, optionally of one reason, in attachment order.</summary>
    public Task<(int Total, List<MediaScanResult> Page)> ResultsAsync(long scanId, string? reason, int page, int perPage, CancellationToken ct) =>
        ResultsAsync(scanId, reason, trashedOnly: false, page, perPage, ct);

    /// <summary>
    /// A page of a scan's results, optionally of one reason and optionally only those whose media item is in the trash
    /// (the plugin's <c>trash</c> view), in attachment order.
    /// </summary>
    public async Task<(int Total, List<MediaScanResult> Page)> ResultsAsync(long scanId, string? reason, bool trashedOnly, int page, int perPage, CancellationToken ct)
    {
        var query = db.MediaScanResults.AsNoTracking().Where(r => r.ScanId == scanId);
        if (reason is not null) query = query.Where(r => r.Reason == reason);
        if (trashedOnly)
            query = query.Where(r => db.Posts.Any(p => p.SiteId == r.SiteId && p.Id == r.AttachmentId && p.Status == Content.PostStatuses.Trash));
        var total = await query.CountAsync(ct);
        var rows = await query.OrderBy(r => r.AttachmentId).ThenBy(r => r.Id).Skip((page - 1) * perPage).Take(perPage).ToListAsync(ct);
        return (total, rows);
    }

    /// <summary>Title, file and size of the media items behind some findings, for the plugin-shaped result items.</summary>
    public async Task<Dictionary<long, (string Title, string? StoragePath, string? SourceUrl, long SizeBytes)>> MediaOfAsync(long siteId, IReadOnlyCollection<long> ids, CancellationToken ct) =>
        (await db.MediaFiles.AsNoTracking().Where(m => m.SiteId == siteId && ids.Contains(m.PostId))
            .Join(db.Posts.AsNoTracking().Where(p => p.SiteId == siteId), m => m.PostId, p => p.Id, (m, p) => new { m.PostId, p.Title, m.StoragePath, m.SourceUrl, m.SizeBytes })
            .ToListAsync(ct))
        .ToDictionary(x => x.PostId, x => (x.Title, x.StoragePath, x.SourceUrl, x.SizeBytes));
}
