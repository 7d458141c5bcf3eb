using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PressMcp.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class McpSettingsAndActivity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "activity_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    call_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    client = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    endpoint = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    tool = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ability = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    site_id = table.Column<long>(type: "bigint", nullable: true),
                    outcome = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    message = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    duration_ms = table.Column<int>(type: "integer", nullable: false),
                    arguments = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    is_write = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_activity_log", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "change_records",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    call_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    object_type = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    object_id = table.Column<long>(type: "bigint", nullable: false),
                    action = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    before = table.Column<string>(type: "text", nullable: true),
                    revision_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_change_records", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "mcp_account_settings",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    updated_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mcp_account_settings", x => x.user_id);
                    table.ForeignKey(
                        name: "FK_mcp_account_settings_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "mcp_site_settings",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    mode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mcp_site_settings", x => new { x.user_id, x.site_id });
                    table.ForeignKey(
                        name: "FK_mcp_site_settings_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_mcp_site_settings_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "mcp_tool_settings",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    ability = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mcp_tool_settings", x => new { x.user_id, x.ability });
                    table.ForeignKey(
                        name: "FK_mcp_tool_settings_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_activity_log_at_utc",
                table: "activity_log",
                column: "at_utc");

            migrationBuilder.CreateIndex(
                name: "IX_activity_log_call_id",
                table: "activity_log",
                column: "call_id");

            migrationBuilder.CreateIndex(
                name: "IX_activity_log_user_id_at_utc",
                table: "activity_log",
                columns: new[] { "user_id", "at_utc" });

            migrationBuilder.CreateIndex(
                name: "IX_change_records_call_id",
                table: "change_records",
                column: "call_id");

            migrationBuilder.CreateIndex(
                name: "IX_change_records_site_id_object_type_object_id",
                table: "change_records",
                columns: new[] { "site_id", "object_type", "object_id" });

            migrationBuilder.CreateIndex(
                name: "IX_mcp_site_settings_site_id",
                table: "mcp_site_settings",
                column: "site_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "activity_log");

            migrationBuilder.DropTable(
                name: "change_records");

            migrationBuilder.DropTable(
                name: "mcp_account_settings");

            migrationBuilder.DropTable(
                name: "mcp_site_settings");

            migrationBuilder.DropTable(
                name: "mcp_tool_settings");
        }
    }
}
