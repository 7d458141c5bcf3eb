using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Activity;

/// <summary>
/// Writes queued activity entries in batches, and once an hour deletes entries older than the retention.
/// Runs once more after the web server stops, so the last calls are kept. A batch that fails is kept and tried
/// again (up to the queue's capacity).
/// </summary>
internal sealed partial class ActivityFlusher(
    ActivityLog log, IServiceScopeFactory scopes, ActivityOptions options, TimeProvider clock, ILogger<ActivityFlusher> logger)
    : Storage.BatchFlushService
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    private readonly List<ActivityEntry> _pending = [];
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.FlushInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
                if (clock.GetUtcNow() - _lastPrune >= PruneEvery) await PruneAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StoppedAsync writes what is left.
        }
    }

    /// <summary>Writes every entry queued so far; returns how many.</summary>
    internal Task<int> FlushAsync(CancellationToken ct = default) => ExclusiveAsync(async () =>
    {
        var written = 0;
        while (true)
        {
            while (_pending.Count < options.BatchSize && log.Reader.TryRead(out var entry)) _pending.Add(entry);
            if (_pending.Count == 0) break;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await ActivityRows.InsertAsync(scope.ServiceProvider.GetRequiredService<PressDbContext>(), _pending, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The batch's transaction was rolled back: the same entries are tried again at the next flush.
                LogFlushFailed(logger, _pending.Count, ex.GetType().Name);
                return written;
            }
            written += _pending.Count;
            _pending.Clear();
        }
        if (log.TakeDropped() is > 0 and var dropped) LogDropped(logger, dropped);
        return written;
    }, ct);

    /// <summary>Deletes entries older than the retention; returns how many.</summary>
    internal async Task<int> PruneAsync(CancellationToken ct = default)
    {
        _lastPrune = clock.GetUtcNow();
        var cutoff = (clock.GetUtcNow() - options.Retention).UtcDateTime;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            // The log has no index of its time (every call would write one): the first entry still kept is found by id,
            // walking only the expired entries, and the expired ones before it are deleted by id. An entry recorded out of
            // order with the time (another instance's flush) waits until the entries before it expire; none younger than the
            // cutoff goes. One DELETE with the first kept id as its subquery: one round trip, and the background reads
            // nothing (a page's statement count is its own; Publishing/PublicQueryTests).
            var kept = db.ActivityLog.Where(a => a.AtUtc >= cutoff).OrderBy(a => a.Id).Select(a => (long?)a.Id);
            var deleted = await db.ActivityLog.Where(a => a.AtUtc < cutoff && a.Id < (kept.FirstOrDefault() ?? long.MaxValue)).ExecuteDeleteAsync(ct);
            if (deleted > 0) LogPruned(logger, deleted, options.RetentionDays);
            return deleted;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPruneFailed(logger, ex.GetType().Name);
            return 0;
        }
    }

    protected override Task FinalFlushAsync() => FlushAsync(CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {Count} activity entries ({Error}); they are kept and tried again")]
    private static partial void LogFlushFailed(ILogger logger, int count, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The activity queue was full; {Count} oldest entries were dropped")]
    private static partial void LogDropped(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} activity entries older than {Days} days")]
    private static partial void LogPruned(ILogger logger, int count, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete expired activity entries ({Error})")]
    private static partial void LogPruneFailed(ILogger logger, string error);
}
