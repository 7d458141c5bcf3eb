using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ActivityLogLeanIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Written by hand: SQLite cannot drop AUTOINCREMENT in place, and EF Core's rebuild of the table runs outside the
            // migration's transaction (it turns foreign keys off, which the log, having none, does not need). The same table
            // with its columns in their order, the id a plain rowid, the rows copied with their ids; then the two indexes.
            migrationBuilder.Sql("""
                CREATE TABLE "ef_temp_activity_log" (
                    "id" INTEGER NOT NULL CONSTRAINT "PK_activity_log" PRIMARY KEY,
                    "call_id" TEXT NOT NULL,
                    "at_utc" TEXT NOT NULL,
                    "user_id" INTEGER NOT NULL,
                    "client" TEXT NULL,
                    "endpoint" TEXT NOT NULL,
                    "tool" TEXT NOT NULL,
                    "ability" TEXT NOT NULL,
                    "site_id" INTEGER NULL,
                    "outcome" TEXT NOT NULL,
                    "message" TEXT NULL,
                    "duration_ms" INTEGER NOT NULL,
                    "arguments" TEXT NOT NULL,
                    "is_write" INTEGER NOT NULL
                );
                INSERT INTO "ef_temp_activity_log" ("id", "call_id", "at_utc", "user_id", "client", "endpoint", "tool", "ability", "site_id", "outcome", "message", "duration_ms", "arguments", "is_write")
                SELECT "id", "call_id", "at_utc", "user_id", "client", "endpoint", "tool", "ability", "site_id", "outcome", "message", "duration_ms", "arguments", "is_write" FROM "activity_log";
                DROP TABLE "activity_log";
                ALTER TABLE "ef_temp_activity_log" RENAME TO "activity_log";
                CREATE INDEX "IX_activity_log_call_id" ON "activity_log" ("call_id");
                CREATE INDEX "IX_activity_log_user_id_id" ON "activity_log" ("user_id", "id");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_activity_log_user_id_id",
                table: "activity_log");

            migrationBuilder.AlterColumn<long>(
                name: "id",
                table: "activity_log",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER")
                .Annotation("Sqlite:Autoincrement", true);

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
