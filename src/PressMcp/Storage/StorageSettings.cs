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
        DatabaseProvider.Postgres => WithPostgresDefaults(PostgresConnectionString
            ?? throw new InvalidOperationException("PostgreSQL needs a connection string.")),
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

    /// <summary>Statements Npgsql prepares per physical connection when the operator's connection string does not say.</summary>
    public const int PostgresAutoPrepared = 64;

    /// <summary>
    /// The operator's PostgreSQL connection string with the server's defaults for what it leaves unsaid: automatic
    /// preparation of the statements a connection runs often. Without it PostgreSQL parses and plans every statement
    /// anew, and a search runs four or five of them (the stamp, the page's posts, their terms, their authors): planning
    /// was most of their cost (docs/performance.md, PostgreSQL). A value the operator gave wins, so a pooler that cannot
    /// keep prepared statements (PgBouncer in transaction mode before 1.21) is served by <c>Max Auto Prepare=0</c>.
    /// </summary>
    internal static string WithPostgresDefaults(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        // Npgsql's ContainsKey answers whether a keyword exists, not whether it was given: read the keys as written
        // ("Max Auto Prepare" or "MaxAutoPrepare", any case).
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var said = given.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase));
        if (!said) builder.MaxAutoPrepare = PostgresAutoPrepared;
        return builder.ConnectionString;
    }

    /// <summary>Parses the provider name given on the command line or in PRESSMCP_DATABASE.</summary>
    public static DatabaseProvider? ParseProvider(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
        _ => null,
    };
}
