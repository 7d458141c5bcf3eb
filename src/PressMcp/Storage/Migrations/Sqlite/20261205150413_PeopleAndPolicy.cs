using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PeopleAndPolicy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "bio",
                table: "users",
                type: "TEXT",
                maxLength: 5000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTime>(
                name: "disabled_utc",
                table: "users",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "website",
                table: "users",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "mcp_policy",
                table: "sites",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "allow");
            // Disabling an account and a site's MCP policy decide MCP calls: they raise the access version like the
            // columns before them (Storage/AccessVersion), so cached decisions are dropped at once.
            migrationBuilder.Sql("DROP TRIGGER access_version_users_update;");
            migrationBuilder.Sql("CREATE TRIGGER access_version_users_update AFTER UPDATE OF is_server_admin, user_name, normalized_user_name, lockout_enabled, lockout_end, disabled_utc ON users BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;");
            migrationBuilder.Sql("DROP TRIGGER access_version_sites_update;");
            migrationBuilder.Sql("CREATE TRIGGER access_version_sites_update AFTER UPDATE OF slug, title, tagline, host_name, time_zone, language, mcp_policy ON sites BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER access_version_users_update;");
            migrationBuilder.Sql("CREATE TRIGGER access_version_users_update AFTER UPDATE OF is_server_admin, user_name, normalized_user_name, lockout_enabled, lockout_end ON users BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;");
            migrationBuilder.Sql("DROP TRIGGER access_version_sites_update;");
            migrationBuilder.Sql("CREATE TRIGGER access_version_sites_update AFTER UPDATE OF slug, title, tagline, host_name, time_zone, language ON sites BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;");
            migrationBuilder.DropColumn(
                name: "bio",
                table: "users");

            migrationBuilder.DropColumn(
                name: "disabled_utc",
                table: "users");

            migrationBuilder.DropColumn(
                name: "website",
                table: "users");

            migrationBuilder.DropColumn(
                name: "mcp_policy",
                table: "sites");
        }
    }
}
