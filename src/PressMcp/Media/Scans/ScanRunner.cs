using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Media.Scans;

/// <summary>
/// A scan that cannot go on for a reason the person who started it can act on (an export over its limits, a folder
/// deleted meanwhile): its message, safe to show, becomes the scan's error instead of the generic one.
/// </summary>
internal sealed class ScanRefusedException(string message) : Exception(message);

/// <summary>The work of one kind of scan. It reports progress and results through <see cref="ScanContext"/> and honours its token.</summary>
internal interface IScanWork
{
    string Kind { get; }

    Task RunAsync(ScanContext context, CancellationToken ct);
}

/// <summary>
/// Runs queued scans off the request path. Start-scan writes a queued row and drops its id into a bounded channel;
/// the runner claims the row (<c>queued → running</c>, conditional, so two instances never both run it), runs the
/// kind's <see cref="IScanWork"/> in its own scope while a heartbeat loop moves <c>heartbeat_utc</c>, and finishes
/// with another conditional update. At most <see cref="ScanOptions.MaxConcurrent"/> scans run at once, one per site.
/// The database is the queue; the channel only wakes the runner: at start-up and every poll it also picks up queued
/// rows it was not told about (a full channel, another instance that stopped) and sweeps stale running ones.
/// A stop marks this instance's running scans interrupted at once; a crash leaves them to the stale sweep.
/// </summary>
internal sealed partial class ScanRunner(IServiceScopeFactory scopes, ScanOptions options, TimeProvider clock, IEnumerable<IScanWork> works, ILogger<ScanRunner> log)
    : BackgroundService
{
    private readonly Channel<long> _queue = Channel.CreateBounded<long>(new BoundedChannelOptions(options.QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _local = new();
    private readonly ConcurrentDictionary<long, SemaphoreSlim> _sites = new();
    private readonly ConcurrentDictionary<long, Task> _tasks = new();
    private readonly SemaphoreSlim _slots = new(options.MaxConcurrent, options.MaxConcurrent);
    private readonly Dictionary<string, IScanWork> _works = works.ToDictionary(w => w.Kind, StringComparer.Ordinal);

    /// <summary>Asks for a queued scan to be run soon; if the channel is full the next poll finds it anyway.</summary>
    public void Enqueue(long scanId) => _queue.Writer.TryWrite(scanId);

    /// <summary>Stops a scan this instance holds (after its row was marked cancelled); other instances notice at their next heartbeat.</summary>
    public void Signal(long scanId)
    {
        if (_local.TryGetValue(scanId, out var cts))
        {
            try { cts.Cancel(); } catch (ObjectDisposedException) { }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RecoverAsync(stoppingToken);
        var poll = Task.Delay(options.PollInterval, clock, stoppingToken);
        var read = _queue.Reader.WaitToReadAsync(stoppingToken).AsTask();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var woke = await Task.WhenAny(read, poll);
                if (woke.IsCanceled) break;
                while (_queue.Reader.TryRead(out var id)) Dispatch(id, stoppingToken);
                if (read.IsCompleted) read = _queue.Reader.WaitToReadAsync(stoppingToken).AsTask();
                if (poll.IsCompleted)
                {
                    await RecoverAsync(stoppingToken);
                    poll = Task.Delay(options.PollInterval, clock, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Each running scan marks itself interrupted as its token fires; wait for them so the rows are written before the host ends.
        try
        {
            await Task.WhenAll(_tasks.Values).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
        }
    }

    /// <summary>Sweeps stale scans and queues every queued row (claiming decides who runs it).</summary>
    private async Task RecoverAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var sweep = await scope.ServiceProvider.GetRequiredService<ScanStore>().SweepStaleAsync(ct);
            if (sweep > 0) LogInterrupted(log, sweep);
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            var queued = await db.MediaScans.AsNoTracking().Where(s => s.Status == ScanStatuses.Queued).OrderBy(s => s.Id).Select(s => s.Id).Take(1000).ToListAsync(ct);
            foreach (var id in queued) Dispatch(id, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database may be briefly unavailable; the next poll tries again.
            LogPollFailed(log, ex.GetType().Name);
        }
    }

    private void Dispatch(long scanId, CancellationToken stopping)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        if (!_local.TryAdd(scanId, cts))
        {
            cts.Dispose();
            return;
        }
        _tasks[scanId] = Task.Run(() => RunOneAsync(scanId, cts, stopping), CancellationToken.None);
    }

    private async Task RunOneAsync(long scanId, CancellationTokenSource cts, CancellationToken stopping)
    {
        SemaphoreSlim? site = null;
        var siteHeld = false;
        var slot = false;
        var claimed = false;
        Task? heartbeat = null;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            var scan = await db.MediaScans.AsNoTracking().FirstOrDefaultAsync(s => s.Id == scanId, cts.Token);
            if (scan is null || scan.Status != ScanStatuses.Queued) return;
            site = _sites.GetOrAdd(scan.SiteId, _ => new SemaphoreSlim(1, 1));
            if (!site.Wait(0))
            {
                LogWaitingForSite(log, scanId, scan.SiteId);
                await site.WaitAsync(cts.Token);
            }
            // Only a held lock is released: a scan cancelled while it waited must not free the site for a third.
            siteHeld = true;
            await _slots.WaitAsync(cts.Token);
            slot = true;

            var now = clock.GetUtcNow().UtcDateTime;
            claimed = await db.MediaScans.Where(s => s.Id == scanId && s.Status == ScanStatuses.Queued)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, ScanStatuses.Running).SetProperty(s => s.StartedUtc, now).SetProperty(s => s.HeartbeatUtc, now), cts.Token) == 1;
            // Cancelled while it waited, or another instance took it.
            if (!claimed) return;
            scan.Status = ScanStatuses.Running;
            scan.StartedUtc = now;

            if (!_works.TryGetValue(scan.Kind, out var work)) throw new InvalidOperationException($"no scan work for kind '{scan.Kind}'");
            heartbeat = HeartbeatAsync(scanId, cts);
            await work.RunAsync(new ScanContext(scan, db, scope.ServiceProvider, clock, cts), cts.Token);
            var end = clock.GetUtcNow().UtcDateTime;
            await db.MediaScans.Where(s => s.Id == scanId && s.Status == ScanStatuses.Running)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, ScanStatuses.Completed).SetProperty(s => s.FinishedUtc, end).SetProperty(s => s.HeartbeatUtc, end), CancellationToken.None);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            // Cancelled by cancel-scan or swept as stale: the row already says so. Stopped with the server: say so now.
            if (claimed && stopping.IsCancellationRequested)
                await FinishAsync(scanId, ScanStatuses.Interrupted, "the server stopped while this scan ran; start a new scan");
        }
        catch (ScanRefusedException refused)
        {
            LogScanRefused(log, scanId, refused.Message);
            if (claimed) await FinishAsync(scanId, ScanStatuses.Failed, refused.Message.Length <= 1000 ? refused.Message : refused.Message[..999] + "…");
        }
        catch (Exception ex)
        {
            LogScanFailed(log, ex, scanId);
            if (claimed) await FinishAsync(scanId, ScanStatuses.Failed, $"the scan failed ({ex.GetType().Name}); the server log has the details");
        }
        finally
        {
            try { await cts.CancelAsync(); } catch (ObjectDisposedException) { }
            if (heartbeat is not null) await heartbeat;
            if (slot) _slots.Release();
            if (siteHeld) site!.Release();
            _local.TryRemove(scanId, out _);
            _tasks.TryRemove(scanId, out _);
            cts.Dispose();
        }
    }

    /// <summary>Moves the heartbeat while the scan runs; a row that is no longer running (cancelled, swept) stops the work.</summary>
    private async Task HeartbeatAsync(long scanId, CancellationTokenSource cts)
    {
        while (!cts.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.HeartbeatInterval, clock, cts.Token);
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
                var now = clock.GetUtcNow().UtcDateTime;
                var alive = await db.MediaScans.Where(s => s.Id == scanId && s.Status == ScanStatuses.Running)
                    .ExecuteUpdateAsync(u => u.SetProperty(s => s.HeartbeatUtc, now), cts.Token);
                if (alive == 0) await cts.CancelAsync();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                // A busy database skips one beat; the stale limit allows for several.
                LogHeartbeatFailed(log, scanId, ex.GetType().Name);
            }
        }
    }

    private async Task FinishAsync(long scanId, string status, string error)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            var now = clock.GetUtcNow().UtcDateTime;
            await db.MediaScans.Where(s => s.Id == scanId && s.Status == ScanStatuses.Running)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, status).SetProperty(s => s.FinishedUtc, now).SetProperty(s => s.Error, error), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Left running, the stale sweep reports it interrupted later.
            LogHeartbeatFailed(log, scanId, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Media scan {ScanId} waits: another scan runs on site {SiteId}")]
    private static partial void LogWaitingForSite(ILogger logger, long scanId, long siteId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Marked {Count} media scan(s) interrupted: their heartbeat went stale")]
    private static partial void LogInterrupted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for queued media scans failed ({Error}); trying again at the next poll")]
    private static partial void LogPollFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media scan {ScanId} refused: {Reason}")]
    private static partial void LogScanRefused(ILogger logger, long scanId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Media scan {ScanId} failed")]
    private static partial void LogScanFailed(ILogger logger, Exception exception, long scanId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the state of media scan {ScanId} failed ({Error})")]
    private static partial void LogHeartbeatFailed(ILogger logger, long scanId, string error);
}

/// <summary>
/// What a running scan's work writes through: its total, then batches of progress and results. Each batch is one
/// transaction with a conditional update of the scan row; when the row is no longer running (cancelled, or swept as
/// interrupted) the batch is rolled back and the work is stopped, so nothing is added to a scan that has ended.
/// </summary>
internal sealed class ScanContext(MediaScan scan, PressDbContext db, IServiceProvider services, TimeProvider clock, CancellationTokenSource cts)
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private int _processed;
    private int _results;

    public MediaScan Scan => scan;
    public PressDbContext Db => db;
    public IServiceProvider Services => services;
    public TimeProvider Clock => clock;
    public JsonElement Options { get; } = JsonDocument.Parse(scan.Options).RootElement.Clone();

    public async Task SetTotalAsync(int total, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await EnsureRunningAsync(await Db.MediaScans.Where(s => s.Id == Scan.Id && s.Status == ScanStatuses.Running)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Total, total).SetProperty(s => s.HeartbeatUtc, now), ct));
    }

    /// <summary>
    /// Saves <paramref name="results"/> and whatever else the work changed on <see cref="Db"/> (moves and their change
    /// records) with the progress, in one transaction.
    /// </summary>
    public async Task ReportAsync(int processed, IReadOnlyCollection<MediaScanResult> results, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var counts = new Dictionary<string, int>(_counts, StringComparer.Ordinal);
        foreach (var r in results) counts[r.Reason] = counts.GetValueOrDefault(r.Reason) + 1;
        var done = _processed + processed;
        var found = _results + results.Count;
        var json = JsonSerializer.Serialize(counts);
        var now = clock.GetUtcNow().UtcDateTime;

        await using var tx = await Db.Database.BeginTransactionAsync(ct);
        foreach (var r in results)
        {
            r.ScanId = Scan.Id;
            r.SiteId = Scan.SiteId;
        }
        Db.MediaScanResults.AddRange(results);
        await Db.SaveChangesAsync(ct);
        var running = await Db.MediaScans.Where(s => s.Id == Scan.Id && s.Status == ScanStatuses.Running)
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.Processed, done)
                .SetProperty(s => s.Counts, json)
                .SetProperty(s => s.ResultCount, found)
                .SetProperty(s => s.HeartbeatUtc, now), ct);
        if (running == 0)
        {
            await tx.RollbackAsync(CancellationToken.None);
            Db.ChangeTracker.Clear();
            await EnsureRunningAsync(0);
        }
        await tx.CommitAsync(ct);
        Db.ChangeTracker.Clear();
        _processed = done;
        _results = found;
        foreach (var (k, v) in counts) _counts[k] = v;
    }

    /// <summary>Replaces the scan's counts with what the work says it made (an export's archive name and size).</summary>
    public async Task SetCountsAsync(string countsJson, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await EnsureRunningAsync(await Db.MediaScans.Where(s => s.Id == Scan.Id && s.Status == ScanStatuses.Running)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Counts, countsJson).SetProperty(s => s.HeartbeatUtc, now), ct));
    }

    private async Task EnsureRunningAsync(int updated)
    {
        if (updated > 0) return;
        await cts.CancelAsync();
        cts.Token.ThrowIfCancellationRequested();
    }
}
