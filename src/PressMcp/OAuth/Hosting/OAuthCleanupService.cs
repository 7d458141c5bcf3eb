using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PressMcp.Storage;

namespace PressMcp.OAuth.Hosting;

/// <summary>
/// Deletes registered clients no user approved within the retention period (anyone may register, so
/// unused registrations must not pile up), and codes and tokens long past their expiry. Safe to run on
/// every instance at once: each step is one idempotent DELETE.
/// </summary>
internal sealed partial class OAuthCleanupService(IServiceScopeFactory scopes, TimeProvider clock, IOptions<OAuthOptions> options, ILogger<OAuthCleanupService> logger)
    : BackgroundService
{
    /// <summary>Expired codes and tokens are kept a day longer, so a late replay is still recognised in the log.</summary>
    private static readonly TimeSpan ExpiredKeep = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CleanupInterval, clock);
        do
        {
            try
            {
                await CleanupAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> CleanupAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var unapprovedBefore = now.AddDays(-options.Value.UnapprovedClientRetentionDays);
        var clients = await db.OAuthClients.Where(c => c.FirstApprovedUtc == null && c.CreatedUtc < unapprovedBefore).ExecuteDeleteAsync(ct);
        var expired = now - ExpiredKeep;
        await db.OAuthCodes.Where(c => c.ExpiresUtc < expired).ExecuteDeleteAsync(ct);
        await db.OAuthTokens.Where(t => t.ExpiresUtc < expired).ExecuteDeleteAsync(ct);
        if (clients > 0) LogDeleted(logger, clients);
        return clients;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} OAuth clients that nobody approved")]
    private static partial void LogDeleted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "OAuth clean-up failed")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
