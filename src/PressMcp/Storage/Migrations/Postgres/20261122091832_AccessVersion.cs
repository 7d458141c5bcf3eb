using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AccessVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The access version and the triggers that raise it: Storage/AccessVersion, Migrations/AccessVersionTriggers.
            foreach (var sql in AccessVersionTriggers.PostgresUp()) migrationBuilder.Sql(sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in AccessVersionTriggers.PostgresDown()) migrationBuilder.Sql(sql);
        }
    }
}
