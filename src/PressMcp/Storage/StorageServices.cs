using Microsoft.EntityFrameworkCore;
using PressMcp.Storage.Sql;

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
                    o.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("ef_migrations_history"))
                     .AddInterceptors(AccessWrites.Instance));
                break;
            default:
                services.AddDbContextPool<PressDbContext, SqlitePressDbContext>(o =>
                    o.UseSqlite(connectionString, sqlite => sqlite.MigrationsHistoryTable("ef_migrations_history"))
                     .AddInterceptors(SqliteConnectionSetup.Instance, AccessWrites.Instance));
                break;
        }
        services.AddScoped<SiteSequences>();
        services.AddScoped<AccessVersion>();
        services.AddSingleton<SharedAccessVersion>();
        services.AddSingleton<DatabaseMigrator>();
        return services;
    }
}
