using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PressMcp.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MediaScans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "media_scans",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    options = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    processed = table.Column<int>(type: "integer", nullable: false),
                    total = table.Column<int>(type: "integer", nullable: false),
                    counts = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    result_count = table.Column<int>(type: "integer", nullable: false),
                    started_by = table.Column<long>(type: "bigint", nullable: true),
                    call_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    started_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    finished_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    heartbeat_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_media_scans", x => x.id);
                    table.ForeignKey(
                        name: "FK_media_scans_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_media_scans_users_started_by",
                        column: x => x.started_by,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "media_scan_results",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    scan_id = table.Column<long>(type: "bigint", nullable: false),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    attachment_id = table.Column<long>(type: "bigint", nullable: false),
                    reason = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    proposed_folder_id = table.Column<long>(type: "bigint", nullable: true),
                    detail = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    applied = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_media_scan_results", x => x.id);
                    table.ForeignKey(
                        name: "FK_media_scan_results_media_scans_scan_id",
                        column: x => x.scan_id,
                        principalTable: "media_scans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_media_scan_results_posts_site_id_attachment_id",
                        columns: x => new { x.site_id, x.attachment_id },
                        principalTable: "posts",
                        principalColumns: new[] { "site_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_media_scan_results_scan_id_reason_attachment_id",
                table: "media_scan_results",
                columns: new[] { "scan_id", "reason", "attachment_id" });

            migrationBuilder.CreateIndex(
                name: "IX_media_scan_results_site_id_attachment_id",
                table: "media_scan_results",
                columns: new[] { "site_id", "attachment_id" });

            migrationBuilder.CreateIndex(
                name: "IX_media_scans_site_id_kind_created_utc",
                table: "media_scans",
                columns: new[] { "site_id", "kind", "created_utc" });

            migrationBuilder.CreateIndex(
                name: "IX_media_scans_started_by",
                table: "media_scans",
                column: "started_by");

            migrationBuilder.CreateIndex(
                name: "IX_media_scans_status_heartbeat_utc",
                table: "media_scans",
                columns: new[] { "status", "heartbeat_utc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "media_scan_results");

            migrationBuilder.DropTable(
                name: "media_scans");
        }
    }
}
