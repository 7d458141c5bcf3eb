using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Activity;

/// <summary>
/// Writes a batch of activity entries in one transaction through the project's prepared bulk insert
/// (<see cref="BulkInsert"/>), outside EF Core's change tracking: tracking and saving entries one by one cost about
/// 100 µs an entry, more than most calls being logged, and every MCP call writes one.
/// </summary>
internal static class ActivityRows
{
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
            await using (var rows = new BulkInsert(connection, transaction, "activity_log",
                "call_id", "at_utc", "user_id", "client", "endpoint", "tool", "ability", "site_id", "outcome", "message", "duration_ms", "arguments", "is_write"))
            {
                foreach (var e in entries)
                {
                    await rows.AddAsync(ct,
                        guidAsText ? e.CallId.ToString("D").ToUpperInvariant() : e.CallId, DateTime.SpecifyKind(e.AtUtc, DateTimeKind.Utc),
                        e.UserId, e.Client, e.Endpoint, e.Tool, e.Ability, e.SiteId, e.Outcome.ToString(), e.Message, e.DurationMs,
                        e.Arguments, e.IsWrite);
                }
            }
            await transaction.CommitAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
