using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Postgres
{
    /// <summary>
    /// PostgreSQL only (SQLite's index already tests columns on its own): the title and excerpt words of each post as a
    /// small tsvector of their own, <c>search_head</c>, with a GIN index, beside <c>search_vector</c>. The tiers of a large
    /// match set (title, title or excerpt; Content/Search/PostSearch.Large.cs) and the rule that a protected post is found
    /// by its title are tested on it: on <c>search_vector</c> each test read the post's whole tsvector (about 2 kB,
    /// compressed) and a weighted query made the GIN index recheck every row, so ordering a word in 12,600 posts took
    /// most of a second (docs/performance.md, PostgreSQL search).
    /// </summary>
    public partial class PostgresSearchHead : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The same expressions as search_vector's title and excerpt parts, so the two agree word for word and weight.
            migrationBuilder.Sql("""
                ALTER TABLE posts ADD COLUMN search_head tsvector GENERATED ALWAYS AS (
                  CASE WHEN type IN ('post', 'page') THEN
                    setweight(to_tsvector('simple', coalesce(title, '')), 'A') ||
                    setweight(to_tsvector('simple', regexp_replace(coalesce(excerpt, ''), '<[^>]*>', ' ', 'g')), 'B')
                  END) STORED;
                """);
            migrationBuilder.Sql("CREATE INDEX ix_posts_search_head ON posts USING GIN (search_head);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_posts_search_head;");
            migrationBuilder.Sql("ALTER TABLE posts DROP COLUMN search_head;");
        }
    }
}
