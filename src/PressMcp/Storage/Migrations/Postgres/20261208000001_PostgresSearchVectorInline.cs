using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Postgres
{
    /// <summary>
    /// PostgreSQL only: a post's <c>search_vector</c> kept in its row (storage MAIN) instead of out of line in TOAST. A
    /// vector is about 2 kB and barely compresses, so about three posts in four had theirs in TOAST, and ts_rank_cd read
    /// each through the TOAST index and two chunks: ranking a search's known matches by id (at most 500) read twice the
    /// buffers and took 2–3 times as long as with the vector in the row (docs/performance.md, PostgreSQL search). A row
    /// holding its vector is over the 2 kB at which PostgreSQL moves long values out, so every other column it may move
    /// would go to TOAST: the columns each search or listing reads (the visibility filter's type, status and password,
    /// the tiers' <c>search_head</c>, the title, slug, guid and MIME type of a page of results) are kept in the row
    /// too. Only content and excerpt, read once per post shown, stay where PostgreSQL puts them. A storage change applies
    /// to rows written after it; existing rows move on their next update or with <c>VACUUM FULL posts</c>
    /// (docs/deployment.md, Upgrades), and read the same either way.
    /// </summary>
    public partial class PostgresSearchVectorInline : Migration
    {
        private static readonly string[] Columns = ["search_vector", "search_head", "title", "slug", "guid", "type", "status", "password", "mime_type"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Alter("MAIN"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Alter("EXTENDED"));
        }

        private static string Alter(string storage) =>
            "ALTER TABLE posts " + string.Join(", ", Columns.Select(column => $"ALTER COLUMN {column} SET STORAGE {storage}")) + ";";
    }
}
