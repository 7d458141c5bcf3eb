using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Permalinks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "permalink_structure",
                table: "sites",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "/%year%/%monthnum%/%day%/%postname%/");
            // Links in MCP results are built from the cached site (Abilities/CallerAccess): a new structure must drop it.
            migrationBuilder.Sql("DROP TRIGGER access_version_sites_update;");
            migrationBuilder.Sql("CREATE TRIGGER access_version_sites_update AFTER UPDATE OF slug, title, tagline, host_name, time_zone, language, mcp_policy, permalink_structure ON sites BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER access_version_sites_update;");
            migrationBuilder.Sql("CREATE TRIGGER access_version_sites_update AFTER UPDATE OF slug, title, tagline, host_name, time_zone, language, mcp_policy ON sites BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;");
            migrationBuilder.DropColumn(
                name: "permalink_structure",
                table: "sites");
        }
    }
}
