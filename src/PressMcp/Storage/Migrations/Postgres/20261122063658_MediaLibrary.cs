using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PressMcp.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MediaLibrary : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "normalized_name",
                table: "media_folders",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "media_rules",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    folder_id = table.Column<long>(type: "bigint", nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    priority = table.Column<int>(type: "integer", nullable: false),
                    mime_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    file_name_pattern = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    uploaded_after_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    uploaded_before_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    min_size_bytes = table.Column<long>(type: "bigint", nullable: true),
                    max_size_bytes = table.Column<long>(type: "bigint", nullable: true),
                    min_width = table.Column<int>(type: "integer", nullable: true),
                    max_width = table.Column<int>(type: "integer", nullable: true),
                    min_height = table.Column<int>(type: "integer", nullable: true),
                    max_height = table.Column<int>(type: "integer", nullable: true),
                    uploader_id = table.Column<long>(type: "bigint", nullable: true),
                    created_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_media_rules", x => x.id);
                    table.ForeignKey(
                        name: "FK_media_rules_media_folders_folder_id",
                        column: x => x.folder_id,
                        principalTable: "media_folders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_media_rules_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_media_rules_users_uploader_id",
                        column: x => x.uploader_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "ix_media_folders_sibling_name",
                table: "media_folders",
                columns: new[] { "site_id", "parent_id", "normalized_name" },
                unique: true,
                filter: "parent_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_media_folders_top_name",
                table: "media_folders",
                columns: new[] { "site_id", "normalized_name" },
                unique: true,
                filter: "parent_id IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_media_files_site_id_storage_path",
                table: "media_files",
                columns: new[] { "site_id", "storage_path" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_media_rules_folder_id",
                table: "media_rules",
                column: "folder_id");

            migrationBuilder.CreateIndex(
                name: "IX_media_rules_site_id_priority",
                table: "media_rules",
                columns: new[] { "site_id", "priority" });

            migrationBuilder.CreateIndex(
                name: "IX_media_rules_uploader_id",
                table: "media_rules",
                column: "uploader_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "media_rules");

            migrationBuilder.DropIndex(
                name: "ix_media_folders_sibling_name",
                table: "media_folders");

            migrationBuilder.DropIndex(
                name: "ix_media_folders_top_name",
                table: "media_folders");

            migrationBuilder.DropIndex(
                name: "IX_media_files_site_id_storage_path",
                table: "media_files");

            migrationBuilder.DropColumn(
                name: "normalized_name",
                table: "media_folders");
        }
    }
}
