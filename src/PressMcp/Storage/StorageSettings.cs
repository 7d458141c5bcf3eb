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
    /// The operator's PostgreSQL connection string with the server's defaults for what it leaves unsaid. A value the
    /// operator gave wins.
    /// <list type="bullet">
    /// <item><c>Max Auto Prepare</c>: the statements a connection runs often are prepared. Without it PostgreSQL parses and
    /// plans every statement anew, and planning was most of what a search's page reads cost it (docs/performance.md,
    /// PostgreSQL search). Behind a pooler that cannot keep prepared statements (PgBouncer in transaction mode before
    /// 1.21) the operator sets <c>Max Auto Prepare=0</c>.</item>
    /// <item><c>No Reset On Close</c>: a connection returned to the pool is not reset, which cost seven statements at its
    /// next use, once a request. Nothing this server runs leaves session state behind: settings are changed only for
    /// the transaction (<c>SET LOCAL</c>, <c>set_config(…, true)</c>), and it takes no session locks, temporary tables or
    /// LISTEN; an open transaction is rolled back by the pool either way.</item>
    /// </list>
    /// </summary>
    internal static string WithPostgresDefaults(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        // Npgsql's ContainsKey answers whether a keyword exists, not whether it was given: read the keys as written
        // ("Max Auto Prepare" or "MaxAutoPrepare", any case).
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()).ToHashSet();
        if (!given.Contains("MAXAUTOPREPARE")) builder.MaxAutoPrepare = PostgresAutoPrepared;
        if (!given.Contains("NORESETONCLOSE")) builder.NoResetOnClose = true;
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
