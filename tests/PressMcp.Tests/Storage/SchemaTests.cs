using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Content.Search;
using PressMcp.Sites;
using PressMcp.Storage;
using PressMcp.Tests.Import;

namespace PressMcp.Tests.Storage;

/// <summary>
/// The schema that the migrations leave, on SQLite and on PostgreSQL: the triggers EF Core's model does not describe
/// exist (a later migration that rebuilds a table, as SQLite does for many column changes, drops its triggers silently),
/// and the full-text index follows posts written by the import's bulk path and then by EF Core.
/// </summary>
[Trait(Category.Name, Category.Storage)]
public sealed class SchemaTests : IAsyncLifetime
{
    /// <summary>
    /// What raises the access version (Storage/AccessVersion): the table and event of each trigger, as the migration
    /// writes them. Written out here, apart from the migration, so that a trigger lost or renamed is noticed.
    /// </summary>
    private static readonly (string Table, string Event)[] AccessVersionTriggers =
    [
        ("oauth_tokens", "update"), ("oauth_tokens", "delete"),
        ("oauth_grants", "update"), ("oauth_grants", "delete"),
        ("oauth_grant_sites", "insert"), ("oauth_grant_sites", "update"), ("oauth_grant_sites", "delete"),
        ("users", "update"), ("users", "delete"),
        ("site_members", "insert"), ("site_members", "update"), ("site_members", "delete"),
        ("sites", "insert"), ("sites", "update"), ("sites", "delete"),
        ("mcp_account_settings", "insert"), ("mcp_account_settings", "update"), ("mcp_account_settings", "delete"),
        ("mcp_tool_settings", "insert"), ("mcp_tool_settings", "update"), ("mcp_tool_settings", "delete"),
        ("mcp_site_settings", "insert"), ("mcp_site_settings", "update"), ("mcp_site_settings", "delete"),
        ("app_passwords", "insert"), ("app_passwords", "update"), ("app_passwords", "delete"),
    ];

    /// <summary>
    /// What raises a site's content version (Storage/ContentVersion): every write of the rows a search reads, and a new
    /// site's first row. PostgreSQL also has a TRUNCATE trigger on each content table.
    /// </summary>
    private static readonly string[] ContentTables = ["posts", "post_terms", "post_meta", "terms"];

    private static IEnumerable<string> ContentVersionTriggers(bool postgres) =>
        ContentTables.SelectMany(t => (postgres ? new[] { "insert", "update", "delete", "truncate" } : ["insert", "update", "delete"])
            .Select(e => $"content_version_{t}_{e} ON {t}"))
        .Append("content_version_sites_insert ON sites");

    private static readonly string[] FullTextTriggers = ["posts_fts_insert", "posts_fts_update", "posts_fts_delete"];

    private static readonly ReadAccess Everything = ReadAccess.For(new SiteActor(0, IsServerAdmin: true, Role: null));

    private ImportHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await ImportHarness.CreateAsync();

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Migrate_FreshDatabase_HasAccessVersionContentVersionAndFullTextTriggersOnTheirTables()
    {
        var postgres = _harness.Store.IsPostgres;
        // Name and table of every trigger the migrations made (PostgreSQL's internal ones, for foreign keys, left out).
        var sql = postgres
            ? "SELECT t.tgname || ' ON ' || c.relname AS \"Value\" FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
            : "SELECT name || ' ON ' || tbl_name AS \"Value\" FROM sqlite_master WHERE type = 'trigger'";
        var found = await _harness.WithDbAsync(db => db.Database.SqlQueryRaw<string>(sql).ToListAsync());

        var expected = AccessVersionTriggers.Select(t => $"access_version_{t.Table}_{t.Event} ON {t.Table}")
            // PostgreSQL's search vector is a generated column: it has no full-text triggers.
            .Concat(postgres ? [] : FullTextTriggers.Select(t => $"{t} ON posts"))
            .Concat(ContentVersionTriggers(postgres));
        Assert.Equal(expected.Order(StringComparer.Ordinal), found.Order(StringComparer.Ordinal));
        if (postgres)
        {
            var generated = await _harness.WithDbAsync(db => db.Database.SqlQueryRaw<string>(
                "SELECT is_generated AS \"Value\" FROM information_schema.columns WHERE table_name = 'posts' AND column_name = 'search_vector'").ToListAsync());
            Assert.Equal(["ALWAYS"], generated);
        }
    }

    /// <summary>
    /// PostgreSQL: a post's search vector, and the columns every search or listing reads, kept in the row (storage MAIN),
    /// so that ts_rank_cd reads no TOAST (the migration PostgresSearchVectorInline; its effect is measured by the bench,
    /// docs/performance.md). Only content and excerpt may leave the row.
    /// </summary>
    [Fact]
    public async Task Migrate_FreshDatabase_PostgresKeepsTheSearchVectorAndTheColumnsSearchesReadInThePostsRow()
    {
        Assert.SkipUnless(_harness.Store.IsPostgres, "PostgreSQL only (SQLite has no TOAST; its full-text index is apart from the row)");
        var storage = await _harness.WithDbAsync(db => db.Database.SqlQueryRaw<string>(
            "SELECT attname || ' ' || attstorage::text AS \"Value\" FROM pg_attribute WHERE attrelid = 'posts'::regclass AND attnum > 0 AND NOT attisdropped AND attstorage <> 'p'").ToListAsync());
        string[] expected =
        [
            "comment_status x", "content x", "excerpt x", "format x", "guid m", "mime_type m", "password m", "ping_status x",
            "search_head m", "search_vector m", "slug m", "status m", "title m", "type m",
        ];
        Assert.Equal(expected, storage.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ImportedPostWithMarkup_FoundByItsWordsNotItsMarkup_AndFollowsAnEfUpdateAndDelete()
    {
        var site = await _harness.CreateSiteAsync("news");
        // Imported through the bulk path (on SQLite, Import/StagedInserts and one deferred indexing statement).
        var file = _harness.Write("markup.xml", WxrFiles.Wxr(WxrFiles.Alice + WxrFiles.Item(11, "Orchard notes", "orchard-notes",
            extra: "<content:encoded><![CDATA[<p class=\"lemonade\">Kumquat&nbsp;and <em>plum</em></p>]]></content:encoded>"
                + "<excerpt:encoded><![CDATA[<strong>Quince</strong> only]]></excerpt:encoded>")));
        await _harness.ImportAsync(site, file);
        var id = await _harness.WithDbAsync(db => db.Posts.Where(p => p.SiteId == site.Id && p.Slug == "orchard-notes").Select(p => p.Id).SingleAsync());
        Assert.Equal([id], await FoundAsync(site, "kumquat"));
        Assert.Equal([id], await FoundAsync(site, "plum"));
        Assert.Equal([id], await FoundAsync(site, "quince"));
        Assert.Empty(await FoundAsync(site, "lemonade"));
        Assert.Empty(await FoundAsync(site, "strong"));

        await _harness.WithDbAsync(async db =>
        {
            var post = await db.Posts.SingleAsync(p => p.SiteId == site.Id && p.Id == id);
            (post.Content, post.Excerpt) = ("<h2 class=\"gooseberry\">Damson</h2>", "");
            return await db.SaveChangesAsync();
        });
        Assert.Empty(await FoundAsync(site, "kumquat"));
        Assert.Empty(await FoundAsync(site, "quince"));
        Assert.Empty(await FoundAsync(site, "gooseberry"));
        Assert.Equal([id], await FoundAsync(site, "damson"));
        Assert.Equal([id], await FoundAsync(site, "orchard"));

        await _harness.WithDbAsync(async db =>
        {
            db.Posts.Remove(await db.Posts.SingleAsync(p => p.SiteId == site.Id && p.Id == id));
            return await db.SaveChangesAsync();
        });
        Assert.Empty(await FoundAsync(site, "damson"));
        Assert.Empty(await FoundAsync(site, "orchard"));
        await AssertIndexIntactAsync();
    }

    private async Task<List<long>> FoundAsync(Site site, string word)
    {
        await using var scope = _harness.Services.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<PostSearch>().SearchAsync(site.Id, new PostQuery { Text = word }, Everything);
        Assert.True(result.Succeeded, result.Problem?.Message);
        return [.. result.Value!.Items.Select(p => p.Id)];
    }

    /// <summary>SQLite: FTS5's own check of the index (a 'delete' with other words than were indexed would break it).</summary>
    private Task AssertIndexIntactAsync() => _harness.Store.IsPostgres
        ? Task.CompletedTask
        : _harness.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("INSERT INTO posts_fts(posts_fts) VALUES ('integrity-check')"));
}
