using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PostTermsByTermCover : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_post_terms_site_id_term_id",
                table: "post_terms");

            migrationBuilder.CreateIndex(
                name: "IX_post_terms_site_id_term_id_post_id",
                table: "post_terms",
                columns: new[] { "site_id", "term_id", "post_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_post_terms_site_id_term_id_post_id",
                table: "post_terms");

            migrationBuilder.CreateIndex(
                name: "IX_post_terms_site_id_term_id",
                table: "post_terms",
                columns: new[] { "site_id", "term_id" });
        }
    }
}
