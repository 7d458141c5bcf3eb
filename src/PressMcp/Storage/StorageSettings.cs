using Microsoft.Data.Sqlite;

namespace PressMcp.Storage;

internal enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Where data lives: the data directory (SQLite file, media files) and which database serves the model.</summary>
internal sealed record StorageSettings(string DataDirectory, DatabaseProvider Provider, string? PostgresConnectionString)
{
    public const string SqliteFileName = "pressmcp.db";

    public string SqlitePath => Path.Combine(DataDirectory, SqliteFileName);

    public string ConnectionString => Provider switch
    {
        DatabaseProvider.Postgres => PostgresConnectionString
            ?? throw new InvalidOperationException("PostgreSQL needs a connection string."),
        _ => new SqliteConnectionStringBuilder
        {
            DataSource = SqlitePath,
            // Foreign keys are switched on once per physical connection (Sql/SqliteConnectionSetup), not at every open as this
            // builder's ForeignKeys option would do (EF Core opens a connection around every query).
            // Seconds a statement waits for another writer (the server and a command may run at once).
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString(),
    };

    /// <summary>Parses the provider name given on the command line or in PRESSMCP_DATABASE.</summary>
    public static DatabaseProvider? ParseProvider(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
        _ => null,
    };
}
