using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Postgres
{
    /// <summary>
    /// PostgreSQL only: <c>search_vector</c>'s statistics target raised from the default 100 to 1,000, so ANALYZE lists
    /// ten times as many of its most common lexemes (<c>pg_stats.most_common_elems</c>: 10,000 instead of 1,000). The
    /// in-memory search sizes a word from that list before reading it (PostgresSearchPostingsReader.ReadWordSizeAsync), and
    /// a word not listed is taken to be in fewer posts than the least listed. At 100 the list stopped at 2,480 posts on
    /// the 100,000-post bench, above the 2,000-post floor, so every rare word of a several-word search was read once by
    /// the background only to be dropped (9 % of PostgreSQL's time under the whole-vocabulary mix); at 1,000 it lists the
    /// bench's whole vocabulary down to about 310 posts. ANALYZE of that column then reads up to 300,000 rows' vectors
    /// (1.4 s on the bench's 100,000 posts); it runs here once so that an existing database has the list at once
    /// (docs/performance.md, PostgreSQL search).
    /// </summary>
    public partial class PostgresSearchVectorStatistics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE posts ALTER COLUMN search_vector SET STATISTICS 1000;");
            migrationBuilder.Sql("ANALYZE posts (search_vector);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE posts ALTER COLUMN search_vector SET STATISTICS -1;");
        }
    }
}
