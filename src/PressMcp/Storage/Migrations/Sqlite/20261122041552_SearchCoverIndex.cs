using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SearchCoverIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_posts_search_cover",
                table: "posts",
                columns: new[] { "site_id", "id", "type", "status", "author_id", "date_utc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_posts_search_cover",
                table: "posts");
        }
    }
}
