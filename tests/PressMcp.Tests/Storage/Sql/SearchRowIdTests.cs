using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Tests.Storage.Sql;

/// <summary>The full-text rowid: one site per 2^32 rowids, the same in C# and in its SQL text.</summary>
public sealed class SearchRowIdTests
{
    public static TheoryData<long, long> Posts => new()
    {
        { 1, 1 }, { 1, 0xFFFF_FFFF }, { 2, 1 }, { 7, 123_456 }, { 0x7FFF_FFFE, 0xFFFF_FFFF },
    };

    [Theory]
    [Trait(Category.Name, Category.Unit)]
    [MemberData(nameof(Posts))]
    public void Of_SiteAndId_RoundTripsAndStaysInTheSitesRange(long siteId, long id)
    {
        var rowid = SearchRowId.Of(siteId, id);
        Assert.Equal(siteId, rowid / SearchRowId.SiteStride);
        Assert.Equal(id, rowid - SearchRowId.SiteStart(siteId));
        Assert.InRange(rowid, SearchRowId.SiteStart(siteId), SearchRowId.SiteEnd(siteId));
        Assert.Equal(SearchRowId.SiteEnd(siteId) + 1, SearchRowId.SiteStart(siteId + 1));
        Assert.Equal(4_294_967_296, SearchRowId.SiteStride);
        Assert.Equal("site_id * 4294967296 + id", SearchRowId.SqlExpression);
    }

    [Theory]
    [Trait(Category.Name, Category.Unit)]
    [MemberData(nameof(Posts))]
    public async Task SqlExpression_EvaluatedBySqlite_EqualsOf(long siteId, long id)
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SearchRowId.SqlExpression} FROM (SELECT $site AS site_id, $id AS id)";
        command.Parameters.AddWithValue("$site", siteId);
        command.Parameters.AddWithValue("$id", id);
        Assert.Equal(SearchRowId.Of(siteId, id), (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    [Trait(Category.Name, Category.Integration)]
    public async Task PostSavedThroughEf_FullTextRowid_EqualsOf()
    {
        // The migration's triggers write the formula as literal SQL; searches and SearchIndexDeferral use this class.
        // Both must give a post the same rowid, or a search finds nothing or another post.
        await using var services = await TestServices.CreateAsync();
        Assert.SkipWhen(services.Store.IsPostgres, "SQLite only");
        var site = await services.CreateNewsSiteAsync();
        const long id = 3_000_000_123;
        await services.WithAsync(async sp =>
        {
            var db = sp.GetRequiredService<PressDbContext>();
            db.Posts.Add(new Post { SiteId = site.Id, Id = id, Title = "Quokkarowid", Content = "<p>text</p>", Slug = "quokka" });
            return await db.SaveChangesAsync();
        });

        var rowids = await services.WithAsync(sp => sp.GetRequiredService<PressDbContext>().Database
            .SqlQueryRaw<long>("SELECT rowid AS \"Value\" FROM posts_fts WHERE posts_fts MATCH 'quokkarowid'").ToListAsync());

        Assert.Equal([SearchRowId.Of(site.Id, id)], rowids);
    }
}
