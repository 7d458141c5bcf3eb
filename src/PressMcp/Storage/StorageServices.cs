using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PressMcp.Storage;

internal static class StorageServices
{
    public static IServiceCollection AddPressStorage(this IServiceCollection services, StorageSettings settings)
    {
        services.AddSingleton(settings);
        switch (settings.Provider)
        {
            case DatabaseProvider.Postgres:
                services.AddDbContext<PressDbContext, PostgresPressDbContext>(o =>
                    o.UseNpgsql(settings.ConnectionString, npgsql => npgsql.MigrationsHistoryTable("ef_migrations_history")));
                break;
            default:
                services.AddDbContext<PressDbContext, SqlitePressDbContext>(o =>
                    o.UseSqlite(settings.ConnectionString, sqlite => sqlite.MigrationsHistoryTable("ef_migrations_history"))
                     .AddInterceptors(SqlitePragmas.Instance));
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
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        // Used by the full-text index triggers (Search migration): index words, not markup.
        if (connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
            sqlite.CreateFunction<string?, string>("pm_strip_tags", Content.HtmlText.Strip, isDeterministic: true);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";
        cmd.ExecuteNonQuery();
    }
}
