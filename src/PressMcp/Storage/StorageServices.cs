using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PressMcp.Storage;

internal static class StorageServices
{
    public static IServiceCollection AddPressStorage(this IServiceCollection services, StorageSettings settings)
    {
        services.AddSingleton(settings);
        // The options are built once (singleton), not per scope: building them on every request (every MCP call,
        // even a request that never queries) cost more CPU than a simple query. The context itself stays scoped.
        var connectionString = settings.ConnectionString;
        switch (settings.Provider)
        {
            case DatabaseProvider.Postgres:
                services.AddDbContext<PressDbContext, PostgresPressDbContext>(o =>
                    o.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("ef_migrations_history")),
                    ServiceLifetime.Scoped, ServiceLifetime.Singleton);
                break;
            default:
                services.AddDbContext<PressDbContext, SqlitePressDbContext>(o =>
                    o.UseSqlite(connectionString, sqlite => sqlite.MigrationsHistoryTable("ef_migrations_history"))
                     .AddInterceptors(SqlitePragmas.Instance),
                    ServiceLifetime.Scoped, ServiceLifetime.Singleton);
                break;
        }
        services.AddScoped<SiteSequences>();
        services.AddSingleton<DatabaseMigrator>();
        return services;
    }
}

/// <summary>
/// Per-connection SQLite settings. WAL (set once per file by <see cref="DatabaseMigrator"/>) lets readers
/// run beside one writer; synchronous=NORMAL is the documented safe pairing with WAL (no corruption,
/// at most the last commit lost on power failure). Also registers the functions the schema's triggers call.
/// EF Core opens and closes the connection around every query, and doing both on every open cost a statement
/// and a function registration per query. So: the function is given to each connection object once, when EF
/// creates it (Microsoft.Data.Sqlite then registers it on every open and removes it on close, so it never leaks
/// to another user of a pooled handle); the PRAGMAs belong to the physical connection (the <c>sqlite3</c>
/// handle, which the pool reuses and does not reset) and run once per handle.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    /// <summary>Handles already set up; weak, so a handle closed by the pool (or ClearAllPools) drops out.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> Applied = new();

    public override DbConnection ConnectionCreated(ConnectionCreatedEventData eventData, DbConnection result)
    {
        // Used by the full-text index triggers (Search migration): index words, not markup.
        if (result is Microsoft.Data.Sqlite.SqliteConnection sqlite)
            sqlite.CreateFunction<string?, string>("pm_strip_tags", Content.HtmlText.Strip, isDeterministic: true);
        return result;
    }

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
            Pragmas(connection);
            Applied.AddOrUpdate(handle, Instance);
            return;
        }
        Pragmas(connection);
    }

    private static void Pragmas(DbConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";
        cmd.ExecuteNonQuery();
    }
}
