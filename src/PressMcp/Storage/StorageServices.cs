using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PressMcp.Storage;

internal static class StorageServices
{
    public static IServiceCollection AddPressStorage(this IServiceCollection services, StorageSettings settings)
    {
        services.AddSingleton(settings);
        // Pooled contexts: a new context resolves and wires up EF Core's internal services on first use, which cost
        // more CPU than the simple query an MCP call then makes (measured: about a tenth of a trivial call). A pooled
        // context keeps them and is reset between requests; PressDbContext holds no state of its own. The options are
        // built once either way. Each request (scope) still gets a context of its own.
        var connectionString = settings.ConnectionString;
        switch (settings.Provider)
        {
            case DatabaseProvider.Postgres:
                services.AddDbContextPool<PressDbContext, PostgresPressDbContext>(o =>
                    o.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("ef_migrations_history")));
                break;
            default:
                services.AddDbContextPool<PressDbContext, SqlitePressDbContext>(o =>
                    o.UseSqlite(connectionString, sqlite => sqlite.MigrationsHistoryTable("ef_migrations_history"))
                     .AddInterceptors(SqlitePragmas.Instance));
                break;
        }
        services.AddScoped<SiteSequences>();
        services.AddScoped<AccessVersion>();
        services.AddSingleton<DatabaseMigrator>();
        return services;
    }
}

/// <summary>
/// Per-connection SQLite settings. WAL (set once per file by <see cref="DatabaseMigrator"/>) lets readers
/// run beside one writer; synchronous=NORMAL is the documented safe pairing with WAL (no corruption,
/// at most the last commit lost on power failure). Also registers pm_strip_tags, which the import's bulk insert calls.
/// EF Core opens and closes the connection around every query, so both belong to the physical connection (the
/// <c>sqlite3</c> handle, which the pool reuses and does not reset) and are done once per handle. The function is
/// registered on the handle itself, not through <c>SqliteConnection.CreateFunction</c>: that registers it again at
/// every open and removes it at every close, which cost more than a simple query. It is pure and deterministic, so
/// leaving it on a pooled handle is harmless.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    /// <summary>How much of a database file a connection maps into memory (1 GiB: reads without a copy into SQLite's cache).</summary>
    public const string MmapSize = "1073741824";

    /// <summary>Handles already set up; weak, so a handle closed by the pool (or ClearAllPools) drops out.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> Applied = new();

    // One delegate for every handle (SQLitePCL keeps a reference per registration).
    private static readonly SQLitePCL.delegate_function_scalar StripTags = (ctx, _, args) =>
    {
        if (SQLitePCL.raw.sqlite3_value_type(args[0]) == SQLitePCL.raw.SQLITE_NULL)
        {
            SQLitePCL.raw.sqlite3_result_text(ctx, Content.HtmlText.Strip(null));
            return;
        }
        // Most text has no entity to decode: stripped as UTF-8, straight from SQLite's bytes to its result.
        var html = SQLitePCL.raw.sqlite3_value_blob(args[0]);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(html.Length, 1));
        try
        {
            if (Content.HtmlText.TryStripUtf8(html, buffer, out var written))
                SQLitePCL.raw.sqlite3_result_text(ctx, buffer.AsSpan(0, written));
            else
                SQLitePCL.raw.sqlite3_result_text(ctx, Content.HtmlText.Strip(System.Text.Encoding.UTF8.GetString(html)));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    };

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        if (connection is Microsoft.Data.Sqlite.SqliteConnection { Handle: { } handle })
        {
            if (Applied.TryGetValue(handle, out _)) return;
            // HtmlText.Strip as SQL, for the import's bulk insert of new posts (Import/StagedInserts), which stores a post's
            // search text (Content/Search/SearchText) in the statement that inserts it. No trigger calls it.
            var rc = SQLitePCL.raw.sqlite3_create_function(handle, "pm_strip_tags", 1,
                SQLitePCL.raw.SQLITE_UTF8 | SQLitePCL.raw.SQLITE_DETERMINISTIC, null, StripTags);
            if (rc != SQLitePCL.raw.SQLITE_OK) throw new InvalidOperationException($"SQLite could not register pm_strip_tags (error {rc}).");
            Pragmas(connection);
            Applied.AddOrUpdate(handle, Instance);
            return;
        }
        Pragmas(connection);
    }

    private static void Pragmas(DbConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON; PRAGMA mmap_size=" + MmapSize + ";";
        cmd.ExecuteNonQuery();
    }
}
