using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Tests.Storage;

[Trait(Category.Name, Category.Unit)]
public sealed class ModelTests
{
    // Fails when the model changed without a migration for that provider (run tools/MigrationGen).
    [Fact]
    public void Sqlite_HasNoPendingModelChanges()
    {
        using var db = new SqlitePressDbContext(new DbContextOptionsBuilder<SqlitePressDbContext>()
            .UseSqlite("Data Source=:memory:", o => o.MigrationsHistoryTable("ef_migrations_history")).Options);
        Assert.False(db.Database.HasPendingModelChanges());
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public void Postgres_HasNoPendingModelChanges()
    {
        using var db = new PostgresPressDbContext(new DbContextOptionsBuilder<PostgresPressDbContext>()
            .UseNpgsql("Host=127.0.0.1", o => o.MigrationsHistoryTable("ef_migrations_history")).Options);
        Assert.False(db.Database.HasPendingModelChanges());
        Assert.Equal(
            new SqlitePressDbContext(new DbContextOptionsBuilder<SqlitePressDbContext>().UseSqlite("Data Source=:memory:").Options).Database.GetMigrations().Select(m => m[15..]),
            db.Database.GetMigrations().Select(m => m[15..]));
    }

    [Theory]
    [InlineData("SiteId", "site_id")]
    [InlineData("NextPostId", "next_post_id")]
    [InlineData("DateUtc", "date_utc")]
    [InlineData("NormalizedUserName", "normalized_user_name")]
    public void SnakeCase_ConvertsPropertyNames(string name, string expected) =>
        Assert.Equal(expected, PressDbContext.SnakeCase(name));
}
