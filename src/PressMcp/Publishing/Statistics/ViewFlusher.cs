using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Publishing.Statistics;

/// <summary>
/// Writes counted views to <c>site_daily_views</c> and <c>post_daily_views</c>: every interval it drains the channel,
/// adds the views up per (site, post, day) and writes each sum with one upsert that adds to what is stored, so any
/// number of instances can count into the same rows. Runs once more when the host has stopped serving, so the last
/// views are kept. A batch that fails stays in memory and is tried again with the next one.
/// </summary>
internal sealed partial class ViewFlusher(
    ViewCounter counter, IServiceScopeFactory scopes, PublishingOptions options, TimeProvider clock, ILogger<ViewFlusher> log)
    : Storage.BatchFlushService
{
    // Beyond this many unsaved (site, post, day) sums the database is considered gone; counting starts over.
    private const int MaxPending = 50_000;

    private readonly Dictionary<ViewKey, long> _pending = [];

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

    /// <summary>Writes every view counted so far. Returns how many (site, post, day) sums were written.</summary>
    internal Task<int> FlushAsync(CancellationToken ct = default) => ExclusiveAsync(async () =>
    {
        while (counter.Reader.TryRead(out var hit))
        {
            Add(new ViewKey(hit.SiteId, ViewKey.WholeSite, hit.Day));
            if (hit.PostId is { } post) Add(new ViewKey(hit.SiteId, post, hit.Day));
        }
        if (_pending.Count == 0) return 0;
        try
        {
            await WriteAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFlushFailed(log, _pending.Count, ex.GetType().Name);
            if (_pending.Count > MaxPending) _pending.Clear();
            return 0;
        }
        var written = _pending.Count;
        _pending.Clear();
        return written;
    }, ct);

    private void Add(ViewKey key) => _pending[key] = _pending.GetValueOrDefault(key) + 1;

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
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO site_daily_views (site_id, day, views)
                    SELECT {siteId}, {day}, {views} WHERE EXISTS (SELECT 1 FROM sites WHERE id = {siteId})
                    ON CONFLICT (site_id, day) DO UPDATE SET views = site_daily_views.views + excluded.views
                    """, ct);
            else
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO post_daily_views (site_id, post_id, day, views)
                    SELECT {siteId}, {postId}, {day}, {views} WHERE EXISTS (SELECT 1 FROM posts WHERE site_id = {siteId} AND id = {postId})
                    ON CONFLICT (site_id, post_id, day) DO UPDATE SET views = post_daily_views.views + excluded.views
                    """, ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>After the web server has finished its last requests: write the views they counted.</summary>
    protected override Task FinalFlushAsync() => FlushAsync(CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {Count} view counts ({Error}); they are kept and tried again")]
    private static partial void LogFlushFailed(ILogger logger, int count, string error);
}
