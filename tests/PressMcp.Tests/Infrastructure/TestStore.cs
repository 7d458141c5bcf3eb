using Npgsql;
using PressMcp.Storage;

namespace PressMcp.Tests.Infrastructure;

/// <summary>
/// A throwaway database for one test: a SQLite file in a temporary data directory, or, when the test script
/// sets PRESSMCP_TEST_DATABASE=postgres and PRESSMCP_TEST_POSTGRES, a fresh database on that PostgreSQL server.
/// The same storage tests run on both.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    private readonly string? _pgDatabase;

    private TestStore(string dataDir, StorageSettings settings, string? pgDatabase)
    {
        DataDirectory = dataDir;
        Settings = settings;
        _pgDatabase = pgDatabase;
    }

    public string DataDirectory { get; }
    internal StorageSettings Settings { get; }
    public bool IsPostgres => Settings.Provider == DatabaseProvider.Postgres;

    public static bool PostgresRequested =>
        string.Equals(Environment.GetEnvironmentVariable("PRESSMCP_TEST_DATABASE"), "postgres", StringComparison.OrdinalIgnoreCase);

    public static Task<TestStore> CreateAsync() => CreateAsync(PostgresRequested);

    /// <summary>A store on the given provider whatever PRESSMCP_TEST_DATABASE says (PostgreSQL still needs PRESSMCP_TEST_POSTGRES).</summary>
    public static async Task<TestStore> CreateAsync(bool postgres)
    {
        var dir = Path.Combine(Path.GetTempPath(), "pressmcp-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        if (!postgres)
            return new TestStore(dir, new StorageSettings(dir, DatabaseProvider.Sqlite, null), null);

        var server = Environment.GetEnvironmentVariable("PRESSMCP_TEST_POSTGRES")
            ?? throw new InvalidOperationException("PRESSMCP_TEST_DATABASE=postgres needs PRESSMCP_TEST_POSTGRES (a connection string to the test server).");
        var name = "pm_" + Guid.NewGuid().ToString("N")[..16];
        await using (var conn = new NpgsqlConnection(server))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        return new TestStore(dir, new StorageSettings(dir, DatabaseProvider.Postgres, cs), name);
    }

    /// <summary>The command-line options that select this store.</summary>
    public string[] CliArgs => IsPostgres
        ? ["--data", DataDirectory, "--database", "postgres", "--connection-string", Settings.ConnectionString]
        : ["--data", DataDirectory];

    public async ValueTask DisposeAsync()
    {
        if (_pgDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            var server = Environment.GetEnvironmentVariable("PRESSMCP_TEST_POSTGRES")!;
            await using var conn = new NpgsqlConnection(server);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_pgDatabase} WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
