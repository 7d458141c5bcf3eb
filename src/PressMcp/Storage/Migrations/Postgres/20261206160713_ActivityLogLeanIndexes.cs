using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ActivityLogLeanIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_activity_log_at_utc",
                table: "activity_log");

            migrationBuilder.DropIndex(
                name: "IX_activity_log_user_id_at_utc",
                table: "activity_log");

            migrationBuilder.CreateIndex(
                name: "IX_activity_log_user_id_id",
                table: "activity_log",
                columns: new[] { "user_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_activity_log_user_id_id",
                table: "activity_log");

            migrationBuilder.CreateIndex(
                name: "IX_activity_log_at_utc",
                table: "activity_log",
                column: "at_utc");

            migrationBuilder.CreateIndex(
                name: "IX_activity_log_user_id_at_utc",
                table: "activity_log",
                columns: new[] { "user_id", "at_utc" });
        }
    }
}
