using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Content.Search;

/// <summary>
/// Keeps SQLite's full-text index in few segments. FTS5 writes each transaction's terms as a new segment and merges
/// segments only four at a time within a level (automerge), so an index holds a dozen segments after a large import
/// or months of edits, and every word and facet token of every search is looked up in each of them: a search for a word
/// no post has cost 85 µs in 13 segments against 24 µs in one (docs/performance.md). When the index has more than
/// <see cref="MaxSegments"/>, this merges it into one in small steps (FTS5's incremental 'merge' with a negative page
/// count), each its own short write transaction with a pause after it, so other writers keep getting the lock. Runs at
/// start and then every <see cref="Interval"/>. Safe on several instances (each step is one FTS5 command under SQLite's
/// write lock); PostgreSQL's GIN index needs none of this.
/// </summary>
internal sealed partial class SearchIndexMaintenance(IServiceScopeFactory scopes, StorageSettings storage, TimeProvider clock, ILogger<SearchIndexMaintenance> logger)
    : BackgroundService
{
    public const int MaxSegments = 4;

    /// <summary>Leaf pages one step writes at most: about 4 MB, a few tens of milliseconds of holding the write lock.</summary>
    private const int PagesPerStep = 1000;

    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(50);

    /// <summary>Steps one run takes at most (a 4 GB index), so writers that keep adding segments cannot keep it going.</summary>
    private const int MaxSteps = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (storage.Provider != DatabaseProvider.Sqlite) return;
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await MergeAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Merges the index into one segment when it has more than <see cref="MaxSegments"/>; returns the segments before and after (none on PostgreSQL).</summary>
    public async Task<(int Before, int After)> MergeAsync(CancellationToken ct)
    {
        if (storage.Provider != DatabaseProvider.Sqlite) return (0, 0);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        await using var connection = await ContextConnection.OpenAsync(db, ct);
        var before = await SegmentsAsync(connection, ct);
        if (before <= MaxSegments) return (before, before);
        var started = clock.GetTimestamp();
        for (var step = 0; step < MaxSteps; step++)
        {
            var changes = await ScalarAsync(connection, "SELECT total_changes()", ct);
            await ScalarAsync(connection, "INSERT INTO posts_fts(posts_fts, rank) VALUES('merge', -" + PagesPerStep + ")", ct);
            // FTS5 writes at least two rows when it merged anything (a page and the index's structure record).
            if (await ScalarAsync(connection, "SELECT total_changes()", ct) - changes < 2) break;
            await Task.Delay(Pause, clock, ct);
        }
        var after = await SegmentsAsync(connection, ct);
        LogMerged(logger, before, after, clock.GetElapsedTime(started).TotalSeconds);
        return (before, after);
    }

    /// <summary>The index's segments: each has at least one row in the FTS5 table's page index.</summary>
    private static async Task<int> SegmentsAsync(ContextConnection connection, CancellationToken ct) =>
        (int)await ScalarAsync(connection, "SELECT count(DISTINCT segid) FROM posts_fts_idx", ct);

    private static async Task<long> ScalarAsync(ContextConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.Command(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Merged the search index from {Before} segments into {After} in {Seconds:F1} s")]
    private static partial void LogMerged(ILogger logger, int before, int after, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Search index maintenance failed")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
