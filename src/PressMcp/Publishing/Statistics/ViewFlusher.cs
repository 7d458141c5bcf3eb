using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Publishing.Statistics;

/// <summary>
/// Writes counted views to <c>site_daily_views</c> (views and new visitors, <see cref="VisitorTally"/>),
/// <c>post_daily_views</c>, <c>site_daily_referrers</c> and <c>site_daily_devices</c>: every interval it drains the
/// channel, adds the loads up per row and writes each sum with one upsert that adds to what is stored, so any
/// number of instances can count into the same rows. Runs once more when the host has stopped serving, so the last
/// views are kept. A batch that fails stays in memory and is tried again with the next one.
/// </summary>
internal sealed partial class ViewFlusher(
    ViewCounter counter, VisitorTally visitors, IServiceScopeFactory scopes, PublishingOptions options, TimeProvider clock, ILogger<ViewFlusher> log)
    : Storage.BatchFlushService
{
    // Beyond this many unsaved (site, post, day) sums the database is considered gone; counting starts over.
    private const int MaxPending = 50_000;

    // Beyond this many unsaved (site, day, host) sums, links from further hosts are not counted until the next write:
    // referrers are free text from the client, and this bounds what a flood of made-up ones can hold in memory.
    private const int MaxPendingReferrers = 10_000;

    private readonly Dictionary<ViewKey, long> _pending = [];
    private readonly Dictionary<(long SiteId, DateOnly Day), long> _newVisitors = [];
    private readonly Dictionary<(long SiteId, DateOnly Day, string Host), long> _referrers = [];
    private readonly Dictionary<(long SiteId, DateOnly Day, string Device), long> _devices = [];

    private readonly record struct ViewKey(long SiteId, long PostId, DateOnly Day)
    {
        public const long WholeSite = 0;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ViewFlushInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await FlushAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StoppedAsync writes what is left.
        }
    }

    /// <summary>
    /// Writes every view counted so far. Returns how many (site, post, day) view sums were written (the referrer and
    /// device sums written with them are not in that number).
    /// </summary>
    internal Task<int> FlushAsync(CancellationToken ct = default) => ExclusiveAsync(async () =>
    {
        visitors.Prune();
        while (counter.Reader.TryRead(out var hit))
        {
            Add(_devices, (hit.SiteId, hit.Day, hit.Device));
            if (!hit.IsView) continue;
            Add(_pending, new ViewKey(hit.SiteId, ViewKey.WholeSite, hit.Day));
            if (hit.PostId is { } post) Add(_pending, new ViewKey(hit.SiteId, post, hit.Day));
            if (visitors.IsNew(hit.SiteId, hit.Day, hit.Visitor)) Add(_newVisitors, (hit.SiteId, hit.Day));
            if (hit.ReferrerHost is { } host && (_referrers.Count < MaxPendingReferrers || _referrers.ContainsKey((hit.SiteId, hit.Day, host))))
                Add(_referrers, (hit.SiteId, hit.Day, host));
        }
        if (_pending.Count == 0 && _devices.Count == 0) return 0;
        try
        {
            await WriteAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFlushFailed(log, _pending.Count, ex.GetType().Name);
            if (_pending.Count + _devices.Count > MaxPending) Clear();
            return 0;
        }
        var written = _pending.Count;
        Clear();
        return written;
    }, ct);

    private static void Add<TKey>(Dictionary<TKey, long> sums, TKey key) where TKey : notnull => sums[key] = sums.GetValueOrDefault(key) + 1;

    private void Clear()
    {
        _pending.Clear();
        _newVisitors.Clear();
        _referrers.Clear();
        _devices.Clear();
    }

    private async Task WriteAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // One order for every instance, so two flushes touching the same rows cannot deadlock each other.
        foreach (var (key, views) in _pending.OrderBy(p => p.Key.SiteId).ThenBy(p => p.Key.PostId).ThenBy(p => p.Key.Day))
        {
            var (siteId, postId, day) = (key.SiteId, key.PostId, key.Day);
            // Valid on SQLite and PostgreSQL alike. The WHERE EXISTS skips views of a site or post deleted since.
            if (postId == ViewKey.WholeSite)
            {
                var newVisitors = _newVisitors.GetValueOrDefault((siteId, day));
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO site_daily_views (site_id, day, views, visitors)
                    SELECT {siteId}, {day}, {views}, {newVisitors} WHERE EXISTS (SELECT 1 FROM sites WHERE id = {siteId})
                    ON CONFLICT (site_id, day) DO UPDATE SET views = site_daily_views.views + excluded.views, visitors = site_daily_views.visitors + excluded.visitors
                    """, ct);
            }
            else
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO post_daily_views (site_id, post_id, day, views)
                    SELECT {siteId}, {postId}, {day}, {views} WHERE EXISTS (SELECT 1 FROM posts WHERE site_id = {siteId} AND id = {postId})
                    ON CONFLICT (site_id, post_id, day) DO UPDATE SET views = post_daily_views.views + excluded.views
                    """, ct);
        }
        foreach (var ((siteId, day, host), views) in _referrers.OrderBy(p => p.Key.SiteId).ThenBy(p => p.Key.Day).ThenBy(p => p.Key.Host, StringComparer.Ordinal))
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO site_daily_referrers (site_id, day, host, views)
                SELECT {siteId}, {day}, {host}, {views} WHERE EXISTS (SELECT 1 FROM sites WHERE id = {siteId})
                ON CONFLICT (site_id, day, host) DO UPDATE SET views = site_daily_referrers.views + excluded.views
                """, ct);
        foreach (var ((siteId, day, device), views) in _devices.OrderBy(p => p.Key.SiteId).ThenBy(p => p.Key.Day).ThenBy(p => p.Key.Device, StringComparer.Ordinal))
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO site_daily_devices (site_id, day, device, views)
                SELECT {siteId}, {day}, {device}, {views} WHERE EXISTS (SELECT 1 FROM sites WHERE id = {siteId})
                ON CONFLICT (site_id, day, device) DO UPDATE SET views = site_daily_devices.views + excluded.views
                """, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>After the web server has finished its last requests: write the views they counted.</summary>
    protected override Task FinalFlushAsync() => FlushAsync(CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {Count} view counts ({Error}); they are kept and tried again")]
    private static partial void LogFlushFailed(ILogger logger, int count, string error);
}
