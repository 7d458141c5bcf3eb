using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Sqlite
{
    /// <summary>
    /// The facets column also marks password-protected posts (Content/Search/SearchFacets.Protected), so a search can
    /// find a protected post by its title alone for readers who may not edit it. The triggers pass the password to
    /// pm_search_facets and follow changes to it; the protected posts already indexed are indexed again. Every other
    /// row's facets are unchanged, so nothing else is rewritten. No change to the model (no designer file).
    /// </summary>
    [DbContext(typeof(SqlitePressDbContext))]
    [Migration("20261205063000_ProtectedSearchFacets")]
    public partial class ProtectedSearchFacets : Migration
    {
        private const string NotDeferred = "NOT EXISTS (SELECT 1 FROM posts_fts_deferred d WHERE {0}.site_id * 4294967296 + {0}.id BETWEEN d.lo AND d.hi)";

        private static string Insert(string facets) => @"CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts WHEN new.type IN ('post', 'page')
  AND " + string.Format(System.Globalization.CultureInfo.InvariantCulture, NotDeferred, "new") + @" BEGIN
  INSERT INTO posts_fts(rowid, title, excerpt, content, facets) VALUES (new.site_id * 4294967296 + new.id, new.title, pm_strip_tags(new.excerpt), pm_strip_tags(new.content), " + facets + @");
END;";

        private static string Update(string columns, string facets) => @"CREATE TRIGGER posts_fts_update AFTER UPDATE OF " + columns + @" ON posts
  WHEN " + string.Format(System.Globalization.CultureInfo.InvariantCulture, NotDeferred, "old") + @" BEGIN
  DELETE FROM posts_fts WHERE rowid = old.site_id * 4294967296 + old.id;
  INSERT INTO posts_fts(rowid, title, excerpt, content, facets) SELECT new.site_id * 4294967296 + new.id, new.title, pm_strip_tags(new.excerpt), pm_strip_tags(new.content), " + facets + @" WHERE new.type IN ('post', 'page');
END;";

        /// <summary>Indexes the protected posts again (those of a deferred block are indexed when the block completes).</summary>
        private static void ReindexProtected(MigrationBuilder migrationBuilder, string facets)
        {
            var rows = "FROM posts p WHERE p.password <> '' AND p.type IN ('post', 'page') AND "
                + string.Format(System.Globalization.CultureInfo.InvariantCulture, NotDeferred, "p");
            migrationBuilder.Sql("DELETE FROM posts_fts WHERE rowid IN (SELECT p.site_id * 4294967296 + p.id " + rows + ");");
            migrationBuilder.Sql("INSERT INTO posts_fts(rowid, title, excerpt, content, facets) SELECT p.site_id * 4294967296 + p.id, p.title, "
                + "pm_strip_tags(p.excerpt), pm_strip_tags(p.content), " + facets + " " + rows + " ORDER BY p.site_id, p.id;");
        }

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            DropTriggers(migrationBuilder);
            migrationBuilder.Sql(Insert("pm_search_facets(new.type, new.status, new.author_id, new.password)"));
            migrationBuilder.Sql(Update("title, excerpt, content, type, status, author_id, password", "pm_search_facets(new.type, new.status, new.author_id, new.password)"));
            ReindexProtected(migrationBuilder, "pm_search_facets(p.type, p.status, p.author_id, p.password)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            DropTriggers(migrationBuilder);
            migrationBuilder.Sql(Insert("pm_search_facets(new.type, new.status, new.author_id)"));
            migrationBuilder.Sql(Update("title, excerpt, content, type, status, author_id", "pm_search_facets(new.type, new.status, new.author_id)"));
            ReindexProtected(migrationBuilder, "pm_search_facets(p.type, p.status, p.author_id)");
        }

        // The delete trigger does not name the facets, so it stays as it is.
        private static void DropTriggers(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER posts_fts_insert;");
            migrationBuilder.Sql("DROP TRIGGER posts_fts_update;");
        }
    }
}
