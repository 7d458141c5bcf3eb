using Microsoft.EntityFrameworkCore;
using PressMcp.Storage.Sql;

namespace PressMcp.Storage;

/// <summary>
/// The database's access version: a number that grows with every change to what an MCP call's permission is
/// decided by (tokens, grants and their sites, a user's server-admin flag, login and lockout, site memberships,
/// sites, MCP settings, application passwords). Triggers in the database itself raise it (migration
/// AccessVersion), so no writer can forget to: the web server, the command line in another process, a bulk SQL
/// statement, another instance on the same PostgreSQL database.
/// <para>
/// The call path keeps what it reads about a caller in <see cref="VersionedCache{TKey, TValue}"/>s, each value
/// with the version read before it. A value is used only while the version is still the same, so a revocation or
/// a settings change applies from the very next call, on every instance, at the cost of one one-row query per
/// request instead of a query per layer (token, grant sites, settings, site and role).
/// </para>
/// Scoped: read once per request (an MCP request is one JSON-RPC message), before anything is taken from a cache.
/// </summary>
internal sealed class AccessVersion(PressDbContext db)
{
    public const string Table = "access_version";

    private long? _current;

    /// <summary>The version as of this request's first question; the same for the rest of the request.</summary>
    public async ValueTask<long> CurrentAsync(CancellationToken ct) => _current ??= await ReadAsync(ct);

    private const string ReadSql = $"SELECT value FROM {Table} WHERE id = 1";

    private async Task<long> ReadAsync(CancellationToken ct)
    {
        // A one-row primary-key read, without EF Core's query pipeline (which would cost more than the query). On SQLite
        // the connection is left open for the rest of the request (EF Core closes it when the context goes back to its
        // pool), so the request's other queries do not each open and close it again: a SQLite connection is a local
        // handle. A PostgreSQL connection is a slot of a bounded server-side pool, and a request may still read a large
        // body from a slow client after this, so it is given back at once.
        await using var connection = await ContextConnection.OpenAsync(db, ct, keepOpen: db.Database.IsSqlite());
        await using var command = connection.Command(ReadSql);
        return await command.ExecuteScalarAsync(ct) is { } value and not DBNull
            ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"The {Table} table has no row: the database was not migrated by this version of PressMcp.");
    }
}
