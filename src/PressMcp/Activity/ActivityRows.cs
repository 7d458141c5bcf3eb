using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Activity;

/// <summary>
/// Writes a batch of activity entries in one transaction through the project's prepared bulk insert
/// (<see cref="BulkInsert{T}"/>), outside EF Core's change tracking: tracking and saving entries one by one cost about
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
        await using var connection = await ContextConnection.OpenAsync(db, ct);
        await using var transaction = await connection.Connection.BeginTransactionAsync(ct);
        // On PostgreSQL a hundred entries per statement: one round trip a hundred calls, not one a call. The columns and
        // how each value is stored (the outcome as text, a Guid as SQLite's upper-case text) are the model's.
        await using (var rows = new BulkInsert<ActivityEntry>(new DbTransactionInfo(connection.Connection, transaction), EntityTable<ActivityEntry>.Of(db), BatchRows))
        {
            foreach (var e in entries) await rows.AddAsync(e, ct);
            await rows.FlushAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }
}
