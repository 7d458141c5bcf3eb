using Npgsql;
using PressMcp.Tests.Infrastructure;

namespace PressMcp.Tests.Storage;

/// <summary>
/// The bench's own PostgreSQL (<see cref="ThrowawayPostgres"/>, behind <c>served --engines sqlite,postgres</c>): a real
/// server started from the installed binaries in a directory, answering on its loopback port, stopped at disposal, and
/// started again over the same directory with what it held. Runs in the storage stage, where test.sh installs PostgreSQL.
/// </summary>
[Trait(Category.Name, Category.Storage)]
public sealed class ThrowawayPostgresTests
{
    [Fact]
    public async Task Starts_in_its_directory_keeps_its_data_and_stops()
    {
        Assert.SkipUnless(TestStore.PostgresRequested, "runs in the storage stage, which installs PostgreSQL");
        Assert.NotNull(ThrowawayPostgres.InstalledBinaries);
        var directory = Path.Combine(Path.GetTempPath(), "pressmcp-tests", Guid.NewGuid().ToString("N"), "pg");
        var ct = TestContext.Current.CancellationToken;
        try
        {
            var port = LoopbackPort.Free();
            string connection;
            await using (var server = await ThrowawayPostgres.StartAsync(directory, port, ct))
            {
                Assert.True(await server.EnsureDatabaseAsync("bench_t", ct));
                Assert.False(await server.EnsureDatabaseAsync("bench_t", ct));
                connection = server.ConnectionString("bench_t", maxPoolSize: 2);
                await ExecuteAsync(connection, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)", ct);
                Assert.Equal(42, await ScalarAsync(connection, "SELECT v FROM kept", ct));
            }
            // Stopped: nothing listens on its port any more.
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => ScalarAsync(connection, "SELECT 1", ct));

            // Started again over the same directory (on another port): initialised once, the database and its rows kept.
            await using (var again = await ThrowawayPostgres.StartAsync(directory, LoopbackPort.Free(), ct))
            {
                Assert.False(await again.EnsureDatabaseAsync("bench_t", ct));
                Assert.Equal(42, await ScalarAsync(again.ConnectionString("bench_t", maxPoolSize: 2), "SELECT v FROM kept", ct));
                await Assert.ThrowsAsync<ArgumentException>(() => again.EnsureDatabaseAsync("bench; DROP", ct));
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(directory)!, recursive: true);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<int> ScalarAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
