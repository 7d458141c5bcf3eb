using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PressMcp.Storage.Sql;

/// <summary>
/// Sets up each physical SQLite connection: the function the import's statements call (<see cref="SqliteFunctions"/>),
/// the full-text function the in-memory search's reads call (<see cref="Fts5Frequencies"/>) and the per-connection pragmas. WAL (set once per file by <see cref="DatabaseMigrator"/>) lets readers run beside one
/// writer; synchronous=NORMAL is the documented safe pairing with WAL (no corruption, at most the last commit lost on
/// power failure); busy_timeout lets a writer wait for another; foreign keys are off by default in SQLite.
/// EF Core opens and closes the connection around every query, so both belong to the physical connection (the
/// <c>sqlite3</c> handle, which the pool reuses and does not reset) and are done once per handle, not at every open.
/// </summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    public static readonly SqliteConnectionSetup Instance = new();

    /// <summary>
    /// How much of a database file a connection maps into memory: none. Every pooled connection maps the file on its
    /// own and faults its pages in one by one, and the mapped pages count as the server's resident memory (a 1 GiB map
    /// took the server to 600-1,200 MB under search load on the 100,000-post site). Reading through SQLite's page cache
    /// and the kernel's file cache measured no dearer per query (docs/performance.md, Memory).
    /// </summary>
    public const string MmapSize = "0";

    /// <summary>
    /// Each connection's page cache, in KiB: 512 (SQLite's default is 2,000). Every pooled connection keeps its own cache,
    /// and the pool keeps a connection for every request that was once in flight, so the caches add up: with the
    /// posting lists in memory, what the requests read through SQLite is mostly a few rows by id, and the kernel's file
    /// cache holds the rest (the whole-vocabulary search measured no dearer a query). An import sets a larger cache for
    /// its transaction and restores this one (<c>WxrImporter.LargerCache</c>). docs/performance.md, Memory.
    /// </summary>
    public const string CacheSizeKib = "512";

    /// <summary>Handles already set up; weak, so a handle closed by the pool (or ClearAllPools) drops out.</summary>
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Applied = new();

    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON; PRAGMA mmap_size=" + MmapSize + "; PRAGMA cache_size=-" + CacheSizeKib + ";";

    private SqliteConnectionSetup()
    {
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            if (Applied.TryGetValue(handle, out _)) return;
            SqliteFunctions.Register(handle);
            RunPragmas(connection);
            // After the pragmas: preparing its statement may read the schema, and busy_timeout then waits out a writer's
            // lock as every other statement does.
            Fts5Frequencies.Register(handle);
            Applied.AddOrUpdate(handle, Instance);
            return;
        }
        RunPragmas(connection);
    }

    private static void RunPragmas(DbConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Pragmas;
        cmd.ExecuteNonQuery();
    }
}
