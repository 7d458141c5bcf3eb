using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Activity;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Storage;

/// <summary>
/// Migration <c>ActivityLogLeanIndexes</c>, on SQLite and on PostgreSQL: a log written under the previous schema keeps
/// every entry with its id, the table is left with the two indexes every call pays for (a user's log by id, the call id),
/// on SQLite the id is a plain rowid (no AUTOINCREMENT, so no <c>sqlite_sequence</c> row to rewrite at each insert), and
/// the next entry's id follows the largest.
/// </summary>
[Trait(Category.Name, Category.Storage)]
public sealed class ActivityLogSchemaTests : IAsyncLifetime
{
    private const string PreviousMigration = "ContentVersions";

    private TestStore _store = null!;
    private ServiceProvider _provider = null!;

    public async ValueTask InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPressCore(_store.Settings, PublicUrl.TryParse("http://127.0.0.1:5000", out _)!);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task Migrate_FromThePreviousSchema_KeepsEveryEntryAndId_LeavesTwoIndexes_AndTheNextIdFollows()
    {
        await WithDbAsync(db => db.Database.MigrateAsync(PreviousMigration));
        var at = new DateTime(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc);
        var before = Enumerable.Range(0, 5).Select(i => Entry(at.AddMinutes(i), userId: 3 + i % 2)).ToList();
        await WithDbAsync(db => ActivityRows.InsertAsync(db, before, default));
        var kept = await WithDbAsync(db => db.ActivityLog.AsNoTracking().OrderBy(a => a.Id).ToListAsync());

        await _provider.GetRequiredService<DatabaseMigrator>().MigrateAsync();

        var after = await WithDbAsync(db => db.ActivityLog.AsNoTracking().OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(kept.Select(e => (e.Id, e.CallId, e.AtUtc, e.UserId, e.Tool)), after.Select(e => (e.Id, e.CallId, e.AtUtc, e.UserId, e.Tool)));
        Assert.Equal(["IX_activity_log_call_id", "IX_activity_log_user_id_id"], await IndexesAsync());
        if (!_store.IsPostgres)
        {
            var table = await WithDbAsync(db => db.Database.SqlQueryRaw<string>("SELECT sql AS \"Value\" FROM sqlite_master WHERE name = 'activity_log'").SingleAsync());
            Assert.DoesNotContain("AUTOINCREMENT", table, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(0, await WithDbAsync(db => db.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM sqlite_sequence WHERE name = 'activity_log'").SingleAsync()));
        }

        await WithDbAsync(db => ActivityRows.InsertAsync(db, [Entry(at.AddHours(1), userId: 3)], default));
        var next = await WithDbAsync(db => db.ActivityLog.AsNoTracking().MaxAsync(a => a.Id));
        Assert.Equal(kept[^1].Id + 1, next);
    }

    [Fact]
    public async Task FreshDatabase_HasTheSameTwoIndexes()
    {
        await _provider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        Assert.Equal(["IX_activity_log_call_id", "IX_activity_log_user_id_id"], await IndexesAsync());
    }

    private Task<List<string>> IndexesAsync() => WithDbAsync(db => db.Database.SqlQueryRaw<string>(_store.IsPostgres
            ? "SELECT indexname AS \"Value\" FROM pg_indexes WHERE tablename = 'activity_log' AND indexname <> 'PK_activity_log' ORDER BY 1"
            : "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'index' AND tbl_name = 'activity_log' AND sql IS NOT NULL ORDER BY 1")
        .ToListAsync());

    private static ActivityEntry Entry(DateTime at, long userId) => new()
    {
        CallId = CallIds.New(new DateTimeOffset(at)), AtUtc = at, UserId = userId, Client = "client", Endpoint = "wpcom",
        Tool = "wpcom-mcp-user-profile", Ability = "user/profile", Outcome = CallOutcome.Succeeded, Arguments = "",
    };

    private async Task<T> WithDbAsync<T>(Func<PressDbContext, Task<T>> body)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await body(scope.ServiceProvider.GetRequiredService<PressDbContext>());
    }

    private Task WithDbAsync(Func<PressDbContext, Task> body) => WithDbAsync(async db => { await body(db); return 0; });
}
