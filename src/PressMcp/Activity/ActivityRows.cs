using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Activity;

/// <summary>
/// Writes a batch of activity entries in one transaction with multi-row INSERTs, outside EF Core's change
/// tracking: tracking and saving entries one by one cost about 100 µs an entry, more than most calls being logged,
/// and every MCP call writes one. Values are parameters; the table and column names are constants of this class.
/// </summary>
internal static class ActivityRows
{
    // PostgreSQL: several rows per statement save round trips. SQLite has none to save, and it looks each parameter
    // name up in a list as long as the statement's parameters, so binding costs the square of the parameter count
    // (at 50 rows, 650 parameters, binding cost more than the inserts): one row per (prepared, reused) statement.
    private const int PostgresRowsPerStatement = 16;

    private static readonly string[] Columns =
        ["call_id", "at_utc", "user_id", "client", "endpoint", "tool", "ability", "site_id", "outcome", "message", "duration_ms", "arguments", "is_write"];

    private static readonly Dictionary<string, System.Data.DbType> NullableTypes = new(StringComparer.Ordinal)
    {
        ["client"] = System.Data.DbType.String, ["site_id"] = System.Data.DbType.Int64, ["message"] = System.Data.DbType.String,
    };

    public static async Task InsertAsync(PressDbContext db, IReadOnlyList<ActivityEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0) return;
        // EF Core stores a Guid on SQLite as upper-case text (and reads it back that way); PostgreSQL has uuid.
        var guidAsText = db.Database.IsSqlite();
        var rowsPerStatement = guidAsText ? 1 : PostgresRowsPerStatement;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync(ct);
            DbCommand? full = null;
            try
            {
                for (var start = 0; start < entries.Count; start += rowsPerStatement)
                {
                    var rows = Math.Min(rowsPerStatement, entries.Count - start);
                    // The full-size statement is prepared once (after its first values: Npgsql types parameters from
                    // them) and reused; a last, shorter one is built for itself.
                    var reuse = rows == rowsPerStatement;
                    var command = reuse && full is not null ? full : Build(connection, transaction, rows);
                    for (var i = 0; i < rows; i++) Bind(command, i, entries[start + i], guidAsText);
                    if (reuse && full is null)
                    {
                        await command.PrepareAsync(ct);
                        full = command;
                    }
                    await command.ExecuteNonQueryAsync(ct);
                    if (!reuse) await command.DisposeAsync();
                }
            }
            finally
            {
                if (full is not null) await full.DisposeAsync();
            }
            await transaction.CommitAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static DbCommand Build(DbConnection connection, DbTransaction transaction, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder("INSERT INTO activity_log (").AppendJoin(", ", Columns).Append(") VALUES ");
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < Columns.Length; c++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"@p{r}_{c}");
                sql.Append(c == 0 ? "" : ", ").Append(name);
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                // The nullable columns are typed, so a null gives PostgreSQL's prepare a type to work with.
                if (NullableTypes.TryGetValue(Columns[c], out var type)) parameter.DbType = type;
                command.Parameters.Add(parameter);
            }
            sql.Append(')');
        }
#pragma warning disable CA2100 // Column names are this class's constants; every value is a parameter.
        command.CommandText = sql.ToString();
#pragma warning restore CA2100
        return command;
    }

    private static void Bind(DbCommand command, int row, ActivityEntry e, bool guidAsText)
    {
        var p = command.Parameters;
        var at = row * Columns.Length;
        p[at].Value = guidAsText ? e.CallId.ToString("D").ToUpperInvariant() : e.CallId;
        p[at + 1].Value = DateTime.SpecifyKind(e.AtUtc, DateTimeKind.Utc);
        p[at + 2].Value = e.UserId;
        p[at + 3].Value = (object?)e.Client ?? DBNull.Value;
        p[at + 4].Value = e.Endpoint;
        p[at + 5].Value = e.Tool;
        p[at + 6].Value = e.Ability;
        p[at + 7].Value = (object?)e.SiteId ?? DBNull.Value;
        p[at + 8].Value = e.Outcome.ToString();
        p[at + 9].Value = (object?)e.Message ?? DBNull.Value;
        p[at + 10].Value = e.DurationMs;
        p[at + 11].Value = e.Arguments;
        p[at + 12].Value = e.IsWrite;
    }
}
