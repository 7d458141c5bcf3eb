using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SearchFacets : Migration
    {
        // The triggers as DeferredSearchIndex left them, with the facets column added (Content/Search/SearchFacets:
        // type, status and author as tokens, so visibility can be tested inside FTS5). The update trigger also follows
        // status and author now, since the facets hold them.
        private const string Insert = @"CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts WHEN new.type IN ('post', 'page')
  AND NOT EXISTS (SELECT 1 FROM posts_fts_deferred d WHERE new.site_id * 4294967296 + new.id BETWEEN d.lo AND d.hi) BEGIN
  INSERT INTO posts_fts(rowid, title, excerpt, content, facets) VALUES (new.site_id * 4294967296 + new.id, new.title, pm_strip_tags(new.excerpt), pm_strip_tags(new.content), pm_search_facets(new.type, new.status, new.author_id));
END;";

        private const string Delete = @"CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts WHEN old.type IN ('post', 'page')
  AND NOT EXISTS (SELECT 1 FROM posts_fts_deferred d WHERE old.site_id * 4294967296 + old.id BETWEEN d.lo AND d.hi) BEGIN
  DELETE FROM posts_fts WHERE rowid = old.site_id * 4294967296 + old.id;
END;";

        private const string Update = @"CREATE TRIGGER posts_fts_update AFTER UPDATE OF title, excerpt, content, type, status, author_id ON posts
  WHEN NOT EXISTS (SELECT 1 FROM posts_fts_deferred d WHERE old.site_id * 4294967296 + old.id BETWEEN d.lo AND d.hi) BEGIN
  DELETE FROM posts_fts WHERE rowid = old.site_id * 4294967296 + old.id;
  INSERT INTO posts_fts(rowid, title, excerpt, content, facets) SELECT new.site_id * 4294967296 + new.id, new.title, pm_strip_tags(new.excerpt), pm_strip_tags(new.content), pm_search_facets(new.type, new.status, new.author_id) WHERE new.type IN ('post', 'page');
END;";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            DropTriggers(migrationBuilder);
            migrationBuilder.Sql("DROP TABLE posts_fts;");
            migrationBuilder.Sql("CREATE VIRTUAL TABLE posts_fts USING fts5(title, excerpt, content, facets, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');");
            // FTS5 keeps new terms in memory up to this size before it writes them as a segment (1 MB by default). A bulk
            // index (this rebuild, the import, the demo) then writes fewer, larger segments and merges them less: indexing
            // 100,000 posts took 2.7 s instead of 4.2–4.8 s (docs/performance.md, Import). The memory is used only while
            // one statement indexes many rows; a post saved alone is written at once, as before.
            migrationBuilder.Sql("INSERT INTO posts_fts(posts_fts, rank) VALUES ('hashsize', 16777216);");
            // Rebuilt in one statement, rowids ascending (see Content/Search/SearchIndexDeferral for why).
            migrationBuilder.Sql(@"INSERT INTO posts_fts(rowid, title, excerpt, content, facets)
SELECT site_id * 4294967296 + id, title, pm_strip_tags(excerpt), pm_strip_tags(content), pm_search_facets(type, status, author_id)
FROM posts WHERE type IN ('post', 'page') ORDER BY site_id, id;");
            migrationBuilder.Sql(Insert);
            migrationBuilder.Sql(Delete);
            migrationBuilder.Sql(Update);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            DropTriggers(migrationBuilder);
            migrationBuilder.Sql("DROP TABLE posts_fts;");
            migrationBuilder.Sql("CREATE VIRTUAL TABLE posts_fts USING fts5(title, excerpt, content, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');");
            migrationBuilder.Sql(@"INSERT INTO posts_fts(rowid, title, excerpt, content)
SELECT site_id * 4294967296 + id, title, pm_strip_tags(excerpt), pm_strip_tags(content) FROM posts WHERE type IN ('post', 'page') ORDER BY site_id, id;");
            migrationBuilder.Sql(@"CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts WHEN new.type IN ('post', 'page')
  AND NOT EXISTS (SELECT 1 FROM posts_fts_deferred d WHERE new.site_id * 4294967296 + new.id BETWEEN d.lo AND d.hi) BEGIN
  INSERT INTO posts_fts(rowid, title, excerpt, content) VALUES (new.site_id * 4294967296 + new.id, new.title, pm_strip_tags(new.excerpt), pm_strip_tags(new.content));
END;");
            migrationBuilder.Sql(Delete);
            migrationBuilder.Sql(@"CREATE TRIGGER posts_fts_update AFTER UPDATE OF title, excerpt, content, type ON posts
  WHEN NOT EXISTS (SELECT 1 FROM posts_fts_deferred d WHERE old.site_id * 4294967296 + old.id BETWEEN d.lo AND d.hi) BEGIN
  DELETE FROM posts_fts WHERE rowid = old.site_id * 4294967296 + old.id;
  INSERT INTO posts_fts(rowid, title, excerpt, content) SELECT new.site_id * 4294967296 + new.id, new.title, pm_strip_tags(new.excerpt), pm_strip_tags(new.content) WHERE new.type IN ('post', 'page');
END;");
        }

        private static void DropTriggers(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER posts_fts_insert;");
            migrationBuilder.Sql("DROP TRIGGER posts_fts_delete;");
            migrationBuilder.Sql("DROP TRIGGER posts_fts_update;");
        }
    }
}
