using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeferredSearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Ranges of full-text rowids whose rows the triggers leave alone (see Storage/SearchIndexDeferral): a bulk
            // writer (the WXR import) records its reserved id block here inside its transaction, inserts the rows, fills
            // the index for the block with one INSERT … SELECT and deletes the range before it commits, so no other
            // connection ever sees a range. Why: a trigger's INSERT into FTS5 runs inside a statement savepoint, and
            // FTS5 writes its pending terms to disk at every savepoint, so indexing row by row writes one tiny segment
            // per post and spends its time merging them (about 300 µs a post, against 50 µs in one statement).
            migrationBuilder.Sql("CREATE TABLE posts_fts_deferred (lo INTEGER NOT NULL, hi INTEGER NOT NULL);");
            migrationBuilder.Sql("DROP TRIGGER posts_fts_insert;");
            migrationBuilder.Sql("DROP TRIGGER posts_fts_delete;");
            migrationBuilder.Sql("DROP TRIGGER posts_fts_update;");
            migrationBuilder.Sql(@"CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts WHEN new.type IN ('post', 'page')
  AND NOT EXISTS (SELECT 1 FROM posts_fts_deferred d WHERE new.site_id * 4294967296 + new.id BETWEEN d.lo AND d.hi) BEGIN
  INSERT INTO posts_fts(rowid, title, excerpt, content) VALUES (new.site_id * 4294967296 + new.id, new.title, pm_strip_tags(new.excerpt), pm_strip_tags(new.content));
END;");
            migrationBuilder.Sql(@"CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts WHEN old.type IN ('post', 'page')
  AND NOT EXISTS (SELECT 1 FROM posts_fts_deferred d WHERE old.site_id * 4294967296 + old.id BETWEEN d.lo AND d.hi) BEGIN
  DELETE FROM posts_fts WHERE rowid = old.site_id * 4294967296 + old.id;
END;");
            migrationBuilder.Sql(@"CREATE TRIGGER posts_fts_update AFTER UPDATE OF title, excerpt, content, type ON posts
  WHEN NOT EXISTS (SELECT 1 FROM posts_fts_deferred d WHERE old.site_id * 4294967296 + old.id BETWEEN d.lo AND d.hi) BEGIN
  DELETE FROM posts_fts WHERE rowid = old.site_id * 4294967296 + old.id;
  INSERT INTO posts_fts(rowid, title, excerpt, content) SELECT new.site_id * 4294967296 + new.id, new.title, pm_strip_tags(new.excerpt), pm_strip_tags(new.content) WHERE new.type IN ('post', 'page');
END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER posts_fts_insert;");
            migrationBuilder.Sql("DROP TRIGGER posts_fts_delete;");
            migrationBuilder.Sql("DROP TRIGGER posts_fts_update;");
            migrationBuilder.Sql("DROP TABLE posts_fts_deferred;");
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
        }
    }
}
