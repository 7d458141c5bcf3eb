using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Storage;

namespace PressMcp.Publishing;

/// <summary>
/// Publishes scheduled posts when their time comes (WordPress's cron for future posts): on start and then every
/// <see cref="PublishingOptions.ScheduleInterval"/>, one conditional UPDATE turns every due <c>future</c> post into
/// <c>publish</c>. The condition is in the statement, so several instances running it at once publish each post
/// once and never touch a post that was changed to anything else meanwhile.
/// </summary>
internal sealed partial class ScheduledPublisher(IServiceScopeFactory scopes, PublishingOptions options, TimeProvider clock, ILogger<ScheduledPublisher> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ScheduleInterval, clock);
        try
        {
            do
            {
                try
                {
                    var published = await PublishDueAsync(stoppingToken);
                    if (published > 0) LogPublished(log, published);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The database may be briefly unavailable; the next tick tries again.
                    LogFailed(log, ex.GetType().Name);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Publishes every scheduled post whose date has come; returns how many.</summary>
    internal async Task<int> PublishDueAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        return await db.Posts
            .Where(p => p.Status == PostStatuses.Future && p.DateUtc <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, PostStatuses.Publish), ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {Count} scheduled posts")]
    private static partial void LogPublished(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing scheduled posts failed ({Error}); trying again at the next interval")]
    private static partial void LogFailed(ILogger logger, string error);
}
