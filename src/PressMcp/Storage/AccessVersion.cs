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
/// with the version read before it. A value is used only while the version is still the same. The version itself is
/// read through <see cref="SharedAccessVersion"/>: at once after any write of this process, else at most
/// <see cref="SharedAccessVersion.MaxAge"/> old. So a revocation or a settings change made through this instance
/// applies from its very next call, and one made anywhere else (another instance, the command line, plain SQL)
/// within <see cref="SharedAccessVersion.MaxAge"/>.
/// </para>
/// Scoped: one value per request (an MCP request is one JSON-RPC message), taken before anything is taken from a cache.
/// </summary>
internal sealed class AccessVersion(Deferred<PressDbContext> db, SharedAccessVersion shared)
{
    public const string Table = "access_version";

    private long? _current;

    /// <summary>The version as of this request's first question; the same for the rest of the request.</summary>
    public async ValueTask<long> CurrentAsync(CancellationToken ct) => _current ??= await shared.CurrentAsync(db, ct);

    private const string ReadSql = $"SELECT value FROM {Table} WHERE id = 1";

    /// <summary>The version as the database holds it now, read on <paramref name="db"/>'s connection; no cache.</summary>
    internal static async Task<long> ReadStoredAsync(PressDbContext db, CancellationToken ct)
    {
        // A one-row primary-key read, without EF Core's query pipeline (which would cost more than the query). On SQLite
        // the connection is left open for the rest of the request (EF Core closes it when the context goes back to its
        // pool), so the request's other queries do not each open and close it again: a SQLite connection is a local
        // handle. A PostgreSQL connection is a slot of a bounded server-side pool, and a request may still read a large
        // body from a slow client after this, so it is given back at once.
        var keepOpen = db.Database.GetDbConnection() is Microsoft.Data.Sqlite.SqliteConnection;
        await using var connection = await ContextConnection.OpenAsync(db, ct, keepOpen);
        await using var command = connection.Command(ReadSql);
        return await command.ExecuteScalarAsync(ct) is { } value and not DBNull
            ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"The {Table} table has no row: the database was not migrated by this version of PressMcp.");
    }
}

/// <summary>
/// The last access version this process read, shared by its requests so that most calls need no query for it. A reading
/// is used while both hold:
/// <list type="bullet">
/// <item>no write has gone through this process's EF Core contexts since it was taken (<see cref="AccessWrites"/>): a
/// change made through this instance applies from its next call, exactly as if every request read the database;</item>
/// <item>it is younger than <see cref="MaxAge"/>, counted from when the read began: a change made elsewhere (another
/// instance, the command line, plain SQL) applies here within that bound. Issue 17 allows 5 s; this keeps well inside.</item>
/// </list>
/// </summary>
internal sealed class SharedAccessVersion(TimeProvider clock)
{
    /// <summary>How old a reading may be for a change made outside this process.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private sealed record Reading(long Value, long StartedAt, long Generation);

    private Reading? _last;

    /// <param name="db">The request's context, leased only when the version must be read.</param>
    public async ValueTask<long> CurrentAsync(Deferred<PressDbContext> db, CancellationToken ct)
    {
        var generation = AccessWrites.Generation;
        if (Volatile.Read(ref _last) is { } last && last.Generation == generation && clock.GetElapsedTime(last.StartedAt) < MaxAge)
            return last.Value;
        var started = clock.GetTimestamp();
        var value = await AccessVersion.ReadStoredAsync(db.Value, ct);
        // Kept only when no write of this process ended during the read: the value might not include it. An older reading
        // stored after a newer one is still within its own bound, as that bound counts from its own start.
        if (AccessWrites.Generation == generation) Volatile.Write(ref _last, new Reading(value, started, generation));
        return value;
    }
}
