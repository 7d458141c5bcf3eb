using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    friendly_name = table.Column<string>(type: "TEXT", nullable: true),
                    xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sites",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    slug = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    tagline = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    host_name = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    time_zone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    language = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    created_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    next_post_id = table.Column<long>(type: "INTEGER", nullable: false),
                    next_comment_id = table.Column<long>(type: "INTEGER", nullable: false),
                    next_term_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sites", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    display_name = table.Column<string>(type: "TEXT", maxLength: 250, nullable: false),
                    is_server_admin = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    user_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    normalized_user_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    normalized_email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    email_confirmed = table.Column<bool>(type: "INTEGER", nullable: false),
                    password_hash = table.Column<string>(type: "TEXT", nullable: true),
                    security_stamp = table.Column<string>(type: "TEXT", nullable: true),
                    concurrency_stamp = table.Column<string>(type: "TEXT", nullable: true),
                    phone_number = table.Column<string>(type: "TEXT", nullable: true),
                    phone_number_confirmed = table.Column<bool>(type: "INTEGER", nullable: false),
                    two_factor_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    lockout_end = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    lockout_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    access_failed_count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_users", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "media_folders",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    parent_id = table.Column<long>(type: "INTEGER", nullable: true),
                    created_utc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_media_folders", x => x.id);
                    table.ForeignKey(
                        name: "FK_media_folders_media_folders_parent_id",
                        column: x => x.parent_id,
                        principalTable: "media_folders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_media_folders_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "site_daily_views",
                columns: table => new
                {
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    views = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_site_daily_views", x => new { x.site_id, x.day });
                    table.ForeignKey(
                        name: "FK_site_daily_views_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "site_options",
                columns: table => new
                {
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 191, nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_site_options", x => new { x.site_id, x.name });
                    table.ForeignKey(
                        name: "FK_site_options_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "terms",
                columns: table => new
                {
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    id = table.Column<long>(type: "INTEGER", nullable: false),
                    taxonomy = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    slug = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: false),
                    parent_id = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_terms", x => new { x.site_id, x.id });
                    table.ForeignKey(
                        name: "FK_terms_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "posts",
                columns: table => new
                {
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    id = table.Column<long>(type: "INTEGER", nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    title = table.Column<string>(type: "TEXT", nullable: false),
                    content = table.Column<string>(type: "TEXT", nullable: false),
                    excerpt = table.Column<string>(type: "TEXT", nullable: false),
                    slug = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    author_id = table.Column<long>(type: "INTEGER", nullable: true),
                    date_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    modified_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    parent_id = table.Column<long>(type: "INTEGER", nullable: true),
                    menu_order = table.Column<int>(type: "INTEGER", nullable: false),
                    sticky = table.Column<bool>(type: "INTEGER", nullable: false),
                    comment_status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ping_status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    format = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    password = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    mime_type = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    guid = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    comment_count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_posts", x => new { x.site_id, x.id });
                    table.ForeignKey(
                        name: "FK_posts_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_posts_users_author_id",
                        column: x => x.author_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "site_members",
                columns: table => new
                {
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    role = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    added_utc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_site_members", x => new { x.site_id, x.user_id });
                    table.ForeignKey(
                        name: "FK_site_members_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_site_members_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_claims",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    claim_type = table.Column<string>(type: "TEXT", nullable: true),
                    claim_value = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_claims", x => x.id);
                    table.ForeignKey(
                        name: "FK_user_claims_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_logins",
                columns: table => new
                {
                    login_provider = table.Column<string>(type: "TEXT", nullable: false),
                    provider_key = table.Column<string>(type: "TEXT", nullable: false),
                    provider_display_name = table.Column<string>(type: "TEXT", nullable: true),
                    user_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_logins", x => new { x.login_provider, x.provider_key });
                    table.ForeignKey(
                        name: "FK_user_logins_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_tokens",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    login_provider = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_tokens", x => new { x.user_id, x.login_provider, x.name });
                    table.ForeignKey(
                        name: "FK_user_tokens_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "comments",
                columns: table => new
                {
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    id = table.Column<long>(type: "INTEGER", nullable: false),
                    post_id = table.Column<long>(type: "INTEGER", nullable: false),
                    parent_id = table.Column<long>(type: "INTEGER", nullable: true),
                    author_name = table.Column<string>(type: "TEXT", maxLength: 250, nullable: false),
                    author_email = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    author_url = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    author_ip = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    user_id = table.Column<long>(type: "INTEGER", nullable: true),
                    date_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    content = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_comments", x => new { x.site_id, x.id });
                    table.ForeignKey(
                        name: "FK_comments_posts_site_id_post_id",
                        columns: x => new { x.site_id, x.post_id },
                        principalTable: "posts",
                        principalColumns: new[] { "site_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_comments_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "media_files",
                columns: table => new
                {
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    post_id = table.Column<long>(type: "INTEGER", nullable: false),
                    storage_path = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    source_url = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    file_name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    size_bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    width = table.Column<int>(type: "INTEGER", nullable: true),
                    height = table.Column<int>(type: "INTEGER", nullable: true),
                    alt_text = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    content_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    folder_id = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_media_files", x => new { x.site_id, x.post_id });
                    table.ForeignKey(
                        name: "FK_media_files_media_folders_folder_id",
                        column: x => x.folder_id,
                        principalTable: "media_folders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_media_files_posts_site_id_post_id",
                        columns: x => new { x.site_id, x.post_id },
                        principalTable: "posts",
                        principalColumns: new[] { "site_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "post_daily_views",
                columns: table => new
                {
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    post_id = table.Column<long>(type: "INTEGER", nullable: false),
                    day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    views = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_post_daily_views", x => new { x.site_id, x.post_id, x.day });
                    table.ForeignKey(
                        name: "FK_post_daily_views_posts_site_id_post_id",
                        columns: x => new { x.site_id, x.post_id },
                        principalTable: "posts",
                        principalColumns: new[] { "site_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "post_meta",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    post_id = table.Column<long>(type: "INTEGER", nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_post_meta", x => x.id);
                    table.ForeignKey(
                        name: "FK_post_meta_posts_site_id_post_id",
                        columns: x => new { x.site_id, x.post_id },
                        principalTable: "posts",
                        principalColumns: new[] { "site_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "post_terms",
                columns: table => new
                {
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    post_id = table.Column<long>(type: "INTEGER", nullable: false),
                    term_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_post_terms", x => new { x.site_id, x.post_id, x.term_id });
                    table.ForeignKey(
                        name: "FK_post_terms_posts_site_id_post_id",
                        columns: x => new { x.site_id, x.post_id },
                        principalTable: "posts",
                        principalColumns: new[] { "site_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_post_terms_terms_site_id_term_id",
                        columns: x => new { x.site_id, x.term_id },
                        principalTable: "terms",
                        principalColumns: new[] { "site_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_comments_site_id_post_id_status",
                table: "comments",
                columns: new[] { "site_id", "post_id", "status" });

            migrationBuilder.CreateIndex(
                name: "IX_comments_site_id_status_date_utc",
                table: "comments",
                columns: new[] { "site_id", "status", "date_utc" });

            migrationBuilder.CreateIndex(
                name: "IX_comments_user_id",
                table: "comments",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_media_files_folder_id",
                table: "media_files",
                column: "folder_id");

            migrationBuilder.CreateIndex(
                name: "IX_media_files_site_id_content_hash",
                table: "media_files",
                columns: new[] { "site_id", "content_hash" });

            migrationBuilder.CreateIndex(
                name: "IX_media_files_site_id_folder_id",
                table: "media_files",
                columns: new[] { "site_id", "folder_id" });

            migrationBuilder.CreateIndex(
                name: "IX_media_folders_parent_id",
                table: "media_folders",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "IX_media_folders_site_id_parent_id_name",
                table: "media_folders",
                columns: new[] { "site_id", "parent_id", "name" });

            migrationBuilder.CreateIndex(
                name: "IX_post_daily_views_site_id_day",
                table: "post_daily_views",
                columns: new[] { "site_id", "day" });

            migrationBuilder.CreateIndex(
                name: "IX_post_meta_site_id_key",
                table: "post_meta",
                columns: new[] { "site_id", "key" });

            migrationBuilder.CreateIndex(
                name: "IX_post_meta_site_id_post_id_key",
                table: "post_meta",
                columns: new[] { "site_id", "post_id", "key" });

            migrationBuilder.CreateIndex(
                name: "IX_post_terms_site_id_term_id",
                table: "post_terms",
                columns: new[] { "site_id", "term_id" });

            migrationBuilder.CreateIndex(
                name: "IX_posts_author_id",
                table: "posts",
                column: "author_id");

            migrationBuilder.CreateIndex(
                name: "IX_posts_site_id_author_id",
                table: "posts",
                columns: new[] { "site_id", "author_id" });

            migrationBuilder.CreateIndex(
                name: "IX_posts_site_id_guid",
                table: "posts",
                columns: new[] { "site_id", "guid" });

            migrationBuilder.CreateIndex(
                name: "IX_posts_site_id_parent_id",
                table: "posts",
                columns: new[] { "site_id", "parent_id" });

            migrationBuilder.CreateIndex(
                name: "IX_posts_site_id_type_slug",
                table: "posts",
                columns: new[] { "site_id", "type", "slug" });

            migrationBuilder.CreateIndex(
                name: "IX_posts_site_id_type_status_date_utc",
                table: "posts",
                columns: new[] { "site_id", "type", "status", "date_utc" });

            migrationBuilder.CreateIndex(
                name: "IX_site_members_user_id",
                table: "site_members",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_sites_host_name",
                table: "sites",
                column: "host_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_sites_slug",
                table: "sites",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_terms_site_id_taxonomy_slug",
                table: "terms",
                columns: new[] { "site_id", "taxonomy", "slug" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_user_claims_user_id",
                table: "user_claims",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_user_logins_user_id",
                table: "user_logins",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "users",
                column: "normalized_email");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "users",
                column: "normalized_user_name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "comments");

            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "media_files");

            migrationBuilder.DropTable(
                name: "post_daily_views");

            migrationBuilder.DropTable(
                name: "post_meta");

            migrationBuilder.DropTable(
                name: "post_terms");

            migrationBuilder.DropTable(
                name: "site_daily_views");

            migrationBuilder.DropTable(
                name: "site_members");

            migrationBuilder.DropTable(
                name: "site_options");

            migrationBuilder.DropTable(
                name: "user_claims");

            migrationBuilder.DropTable(
                name: "user_logins");

            migrationBuilder.DropTable(
                name: "user_tokens");

            migrationBuilder.DropTable(
                name: "media_folders");

            migrationBuilder.DropTable(
                name: "posts");

            migrationBuilder.DropTable(
                name: "terms");

            migrationBuilder.DropTable(
                name: "users");

            migrationBuilder.DropTable(
                name: "sites");
        }
    }
}
