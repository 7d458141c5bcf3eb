using Microsoft.EntityFrameworkCore;
using PressMcp.Storage.Sql;

namespace PressMcp.Storage;

/// <summary>Brings the database to the current schema before anything else runs; safe to call from several processes.</summary>
internal sealed class DatabaseMigrator(IServiceScopeFactory scopes, StorageSettings settings, ILogger<DatabaseMigrator> logger)
{
    /// <summary>Applies the migrations this build has and the database lacks; returns their names (empty when it was current).</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct = default)
    {
        if (settings.Provider == DatabaseProvider.Sqlite)
            Directory.CreateDirectory(settings.DataDirectory);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            // journal_mode is stored in the file: once set, every later connection uses WAL.
            await using var connection = await ContextConnection.OpenAsync(db, ct);
            await using var command = connection.Command("PRAGMA journal_mode=WAL;");
            await command.ExecuteNonQueryAsync(ct);
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} database migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
            // EF Core takes a database-wide migration lock, so concurrent starts do not race.
            await db.Database.MigrateAsync(ct);
        }
        return pending;
    }

    /// <summary>
    /// The migrations this build has and the database lacks, changing nothing: a missing SQLite file lacks them all
    /// (and is not created, as opening it would).
    /// </summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        if (settings.Provider == DatabaseProvider.Sqlite && !File.Exists(settings.SqlitePath))
            return [.. db.Database.GetMigrations()];
        return [.. await db.Database.GetPendingMigrationsAsync(ct)];
    }
}
