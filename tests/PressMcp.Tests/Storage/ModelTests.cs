using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
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

    // The compiled models (Storage/CompiledModels, used by the server to skip building the model at start) are generated
    // from the model the code declares; they fail here when the declared model changed after them (run
    // `dotnet run --project tools/MigrationGen -- --compiled-model`). Both sides are runtime models, printed in full:
    // every entity, property, column, type mapping, key, index and relationship with its annotations.
    [Fact]
    public void Sqlite_CompiledModel_IsTheDeclaredModel()
    {
        static SqlitePressDbContext Context() =>
            new(new DbContextOptionsBuilder<SqlitePressDbContext>().UseSqlite("Data Source=:memory:").Options);
        AssertSameModel<PressMcp.Storage.CompiledModels.Sqlite.SqlitePressDbContextModel>(Context());
    }

    [Fact]
    public void Postgres_CompiledModel_IsTheDeclaredModel()
    {
        static PostgresPressDbContext Context() =>
            new(new DbContextOptionsBuilder<PostgresPressDbContext>().UseNpgsql("Host=127.0.0.1").Options);
        AssertSameModel<PressMcp.Storage.CompiledModels.Postgres.PostgresPressDbContextModel>(Context());
    }

    /// <summary>
    /// The compiled model is one instance for the process, and EF Core adds to it at run time an ad-hoc entity type for
    /// each type a raw SQL query reads (SqlQuery&lt;T&gt;: McpSettingsStore, some tests): not part of the declared model, and
    /// present or not depending on which tests ran first in the process.
    /// </summary>
    private static string WithoutAdHocTypes(string model)
    {
        var adHoc = model.IndexOf("\n  Ad-hoc entity types:", StringComparison.Ordinal);
        return adHoc < 0 ? model : model[..adHoc];
    }

    private static void AssertSameModel<TCompiled>(DbContext context) where TCompiled : RuntimeModel
    {
        using (context)
        {
            // EF Core uses a compiled model it finds beside the context without being told to (since EF Core 9), so
            // context.Model is the compiled one; the design-time model is always built from OnModelCreating.
            var compiled = context.Model;
            var declared = context.GetService<IDesignTimeModel>().Model;
            Assert.IsType<TCompiled>(compiled);
            // Entities, properties with their CLR types and nullability, keys, indexes, relationships.
            const MetadataDebugStringOptions shape = MetadataDebugStringOptions.ShortDefault;
            var expected = declared.ToDebugString(shape);
            Assert.True(expected.Length > 10_000, "the model printed in full");
            Assert.Equal(expected, WithoutAdHocTypes(compiled.ToDebugString(shape)));
            // Tables and their columns with store types and nullability, keys, indexes and foreign keys.
            var tables = declared.GetRelationalModel().ToDebugString(shape);
            Assert.Contains("post_meta", tables, StringComparison.Ordinal);
            Assert.Equal(tables, compiled.GetRelationalModel().ToDebugString(shape));
        }
    }

    [Theory]
    [InlineData("SiteId", "site_id")]
    [InlineData("NextPostId", "next_post_id")]
    [InlineData("DateUtc", "date_utc")]
    [InlineData("NormalizedUserName", "normalized_user_name")]
    public void SnakeCase_ConvertsPropertyNames(string name, string expected) =>
        Assert.Equal(expected, PressDbContext.SnakeCase(name));
}
