using PressMcp.Cli;
using PressMcp.Tests.Infrastructure;

namespace PressMcp.Bench;

/// <summary>
/// The engine of one pass of <c>served --engines</c>, chosen the way every bench and the server choose it: through
/// <c>PRESSMCP_DATABASE</c> and <c>PRESSMCP_CONNECTION_STRING</c>, set in this process for the pass (so
/// <see cref="BenchEnvironment"/> and the server processes it starts, which inherit them, use the same engine) and put
/// back afterwards. PostgreSQL is the server the environment names when it names one; otherwise one started here
/// (<see cref="ThrowawayPostgres"/>) over <c>DATA/postgres</c>, kept between runs so the benchmark site is generated
/// there once, and stopped at the end of the pass.
/// </summary>
internal sealed class BenchPostgres : IAsyncDisposable
{
    private readonly string? _database;
    private readonly string? _connectionString;
    private readonly ThrowawayPostgres? _server;

    private BenchPostgres(string? database, string? connectionString, ThrowawayPostgres? server)
    {
        (_database, _connectionString, _server) = (database, connectionString, server);
    }

    /// <summary>The name of the database the bench's site lives in on a server started here.</summary>
    public const string Database = "bench";

    public static async Task<BenchPostgres> UseAsync(string engine, string dataDir)
    {
        var saved = new BenchPostgres(Environment.GetEnvironmentVariable(GlobalOptions.DatabaseEnv), Environment.GetEnvironmentVariable(GlobalOptions.ConnectionStringEnv), null);
        if (engine == "sqlite")
        {
            Set("sqlite", null);
            return saved;
        }
        if (saved._database == "postgres" && saved._connectionString is { Length: > 0 } external)
        {
            Console.WriteLine("PostgreSQL: the server PRESSMCP_CONNECTION_STRING names.");
            Set("postgres", external);
            return saved;
        }
        var server = await ThrowawayPostgres.StartAsync(Path.Combine(Path.GetFullPath(dataDir), "postgres"), McpBench.FreePort());
        try
        {
            await server.EnsureDatabaseAsync(Database);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        Console.WriteLine($"PostgreSQL: a server of this bench's on 127.0.0.1:{server.Port}, data in {server.DataDirectory} (kept), stopped after the pass.");
        Set("postgres", server.ConnectionString(Database));
        return new BenchPostgres(saved._database, saved._connectionString, server);
    }

    private static void Set(string? database, string? connectionString)
    {
        Environment.SetEnvironmentVariable(GlobalOptions.DatabaseEnv, database);
        Environment.SetEnvironmentVariable(GlobalOptions.ConnectionStringEnv, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        Set(_database, _connectionString);
        if (_server is not null) await _server.DisposeAsync();
    }
}
