using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Tests.Storage.Sql;

/// <summary>
/// Every SQLite connection the contexts open has PressMcp's SQL function and the per-connection pragmas, also when the
/// pool hands the same handle out again (they are set once per handle, not at each open).
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class SqliteConnectionSetupTests : IAsyncLifetime
{
    private TestServices _services = null!;

    public async ValueTask InitializeAsync() => _services = await TestServices.CreateAsync();

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task PooledConnection_OpenedAgain_HasFunctionsAndPragmas()
    {
        Assert.SkipWhen(_services.Store.IsPostgres, "SQLite only");
        for (var open = 0; open < 2; open++)
        {
            await using var scope = _services.Scope();
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            await using var connection = await ContextConnection.OpenAsync(db, default);
            var stripped = await ScalarAsync(connection, $"SELECT {SqliteFunctions.StripTagsName}('<b>Bold</b> and <i>plain</i>')");
            Assert.Equal(HtmlText.Strip("<b>Bold</b> and <i>plain</i>"), stripped);
            Assert.DoesNotContain("<", (string)stripped!);
            Assert.Equal(1L, await ScalarAsync(connection, "PRAGMA foreign_keys"));
            Assert.Equal(30000L, await ScalarAsync(connection, "PRAGMA busy_timeout"));
            Assert.Equal(1L, await ScalarAsync(connection, "PRAGMA synchronous")); // NORMAL
            Assert.Equal(long.Parse(SqliteConnectionSetup.MmapSize, System.Globalization.CultureInfo.InvariantCulture), await ScalarAsync(connection, "PRAGMA mmap_size"));
            // Negative: KiB, not pages.
            Assert.Equal(-512L, await ScalarAsync(connection, "PRAGMA cache_size"));
        }
    }

    private static async Task<object?> ScalarAsync(ContextConnection connection, string sql)
    {
        await using var command = connection.Command(sql);
        return await command.ExecuteScalarAsync();
    }
}
