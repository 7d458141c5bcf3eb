using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Full-text index of posts and pages (see Content/Search). Contentless FTS5 with delete support:
            // the text lives in posts; rowid = site_id * 2^32 + id, so one site is one rowid range.
            // pm_strip_tags is registered on every connection by Storage/SqlitePragmas.
            migrationBuilder.Sql("CREATE VIRTUAL TABLE posts_fts USING fts5(title, excerpt, content, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');");
            migrationBuilder.Sql(@"CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts WHEN new.type IN ('post', 'page') BEGIN
  INSERT INTO posts_fts(rowid, title, excerpt, content) VALUES (new.site_id * 4294967296 + new.id, new.title, pm_strip_tags(new.excerpt), pm_strip_tags(new.content));
END;");
            migrationBuilder.Sql(@"CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts WHEN old.type IN ('post', 'page') BEGIN
  DELETE FROM posts_fts WHERE rowid = old.site_id * 4294967296 + old.id;
END;");
            migrationBuilder.Sql(@"CREATE TRIGGER posts_fts_update AFTER UPDATE OF title, excerpt, content, type ON posts BEGIN
  DELETE FROM posts_fts WHERE rowid = old.site_id * 4294967296 + old.id;
  INSERT INTO posts_fts(rowid, title, excerpt, content) SELECT new.site_id * 4294967296 + new.id, new.title, pm_strip_tags(new.excerpt), pm_strip_tags(new.content) WHERE new.type IN ('post', 'page');
END;");
            migrationBuilder.Sql("INSERT INTO posts_fts(rowid, title, excerpt, content) SELECT site_id * 4294967296 + id, title, pm_strip_tags(excerpt), pm_strip_tags(content) FROM posts WHERE type IN ('post', 'page');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS posts_fts_update;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS posts_fts_delete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS posts_fts_insert;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS posts_fts;");
        }
    }
}
