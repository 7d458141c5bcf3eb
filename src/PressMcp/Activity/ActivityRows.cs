using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Activity;

/// <summary>
/// Writes a batch of activity entries in one transaction through the project's prepared bulk insert
/// (<see cref="BulkInsert"/>), outside EF Core's change tracking: tracking and saving entries one by one cost about
/// 100 µs an entry, more than most calls being logged, and every MCP call writes one. On PostgreSQL the entries go
/// <see cref="BatchRows"/> to a statement, so several instances logging a busy day do not spend a round trip a call.
/// </summary>
internal static class ActivityRows
{
    /// <summary>Entries per statement on PostgreSQL (internal so the tests can cross a batch's edge).</summary>
    internal const int BatchRows = 100;

    public static async Task InsertAsync(PressDbContext db, IReadOnlyList<ActivityEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0) return;
        // EF Core stores a Guid on SQLite as upper-case text (and reads it back that way); PostgreSQL has uuid.
        var guidAsText = db.Database.IsSqlite();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync(ct);
            // On PostgreSQL a hundred entries per statement: one round trip a hundred calls, not one a call.
            await using (var rows = new BulkInsert(connection, transaction, "activity_log", batchRows: BatchRows,
                "call_id", "at_utc", "user_id", "client", "endpoint", "tool", "ability", "site_id", "outcome", "message", "duration_ms", "arguments", "is_write"))
            {
                foreach (var e in entries)
                {
                    await rows.AddAsync(ct,
                        guidAsText ? e.CallId.ToString("D").ToUpperInvariant() : e.CallId, DateTime.SpecifyKind(e.AtUtc, DateTimeKind.Utc),
                        e.UserId, e.Client, e.Endpoint, e.Tool, e.Ability, e.SiteId, e.Outcome.ToString(), e.Message, e.DurationMs,
                        e.Arguments, e.IsWrite);
                }
                await rows.FlushAsync(ct);
            }
            await transaction.CommitAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
