using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Postgres
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
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "/%year%/%monthnum%/%day%/%postname%/");
            // Links in MCP results are built from the cached site (Abilities/CallerAccess): a new structure must drop it.
            migrationBuilder.Sql("DROP TRIGGER access_version_sites_update ON sites;");
            migrationBuilder.Sql("CREATE TRIGGER access_version_sites_update AFTER UPDATE OF slug, title, tagline, host_name, time_zone, language, mcp_policy, permalink_structure ON sites FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER access_version_sites_update ON sites;");
            migrationBuilder.Sql("CREATE TRIGGER access_version_sites_update AFTER UPDATE OF slug, title, tagline, host_name, time_zone, language, mcp_policy ON sites FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.DropColumn(
                name: "permalink_structure",
                table: "sites");
        }
    }
}
