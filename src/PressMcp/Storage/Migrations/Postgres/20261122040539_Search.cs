using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Full-text index of posts and pages (see Content/Search): a stored generated tsvector with the
            // 'simple' configuration (no stemming, like SQLite's unicode61), weighted title > excerpt > content.
            migrationBuilder.Sql(@"ALTER TABLE posts ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  CASE WHEN type IN ('post', 'page') THEN
    setweight(to_tsvector('simple', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('simple', regexp_replace(coalesce(excerpt, ''), '<[^>]*>', ' ', 'g')), 'B') ||
    setweight(to_tsvector('simple', regexp_replace(coalesce(content, ''), '<[^>]*>', ' ', 'g')), 'C')
  END) STORED;");
            migrationBuilder.Sql("CREATE INDEX ix_posts_search_vector ON posts USING GIN (search_vector);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_posts_search_vector;");
            migrationBuilder.Sql("ALTER TABLE posts DROP COLUMN IF EXISTS search_vector;");
        }
    }
}
