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

        await using var fileLock = settings.Provider == DatabaseProvider.Sqlite ? await SqliteMigrationLock.AcquireAsync(db, settings, logger, ct) : null;
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

/// <summary>
/// EF Core's migration lock on SQLite is a row of <c>__EFMigrationsLock</c>: a process killed while it migrates leaves
/// the row behind, and every later start waits for it forever. An operating-system lock on a file beside the database
/// is released with its process, so every PressMcp migration takes that first: whoever holds it knows that a lock row
/// still in the table was left by a process that died, and removes it. (PostgreSQL's lock is an advisory lock, which
/// ends with its session.)
/// </summary>
internal sealed class SqliteMigrationLock : IAsyncDisposable
{
    private const string LockTable = "__EFMigrationsLock";
    private readonly FileStream _file;

    private SqliteMigrationLock(FileStream file) => _file = file;

    public static async Task<SqliteMigrationLock> AcquireAsync(PressDbContext db, StorageSettings settings, ILogger logger, CancellationToken ct)
    {
        var path = settings.SqlitePath + ".migrate-lock";
        var waited = false;
        FileStream file;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive advisory lock (flock) on Linux and macOS, a sharing lock on Windows.
                file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                break;
            }
            catch (IOException) when (!ct.IsCancellationRequested)
            {
                if (!waited) logger.LogInformation("Waiting for another process that is migrating this database ({Path})", path);
                waited = true;
                await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            }
        }
        try
        {
            await using var connection = await ContextConnection.OpenAsync(db, ct);
            await using var exists = connection.Command($"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{LockTable}';");
            if ((long)(await exists.ExecuteScalarAsync(ct))! > 0)
            {
                await using var clear = connection.Command($"DELETE FROM \"{LockTable}\";");
                if (await clear.ExecuteNonQueryAsync(ct) > 0)
                    logger.LogWarning("Removed a migration lock left by a process that stopped while migrating this database");
            }
            return new SqliteMigrationLock(file);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
