using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PressMcp.Storage.Migrations.Postgres
{
    /// <summary>
    /// The whole schema: the migrations made before the first release, squashed into one (a database made by those is
    /// not upgraded: docs/architecture.md, Storage). Scaffolded by tools/MigrationGen; what EF Core's model does not
    /// describe is the literal SQL at the end of <see cref="Up"/>.
    /// </summary>
    public partial class Initial : Migration
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
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "text", nullable: true),
                    xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "oauth_clients",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    redirect_uris = table.Column<string>(type: "text", nullable: false),
                    scope = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    application_type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    client_uri = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    logo_uri = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    is_metadata_document = table.Column<bool>(type: "boolean", nullable: false),
                    created_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    first_approved_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_oauth_clients", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sites",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    slug = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    tagline = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    host_name = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    time_zone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    language = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    created_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    next_post_id = table.Column<long>(type: "bigint", nullable: false),
                    next_comment_id = table.Column<long>(type: "bigint", nullable: false),
                    next_term_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sites", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    display_name = table.Column<string>(type: "character varying(250)", maxLength: 250, nullable: false),
                    is_server_admin = table.Column<bool>(type: "boolean", nullable: false),
                    created_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    email_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                    password_hash = table.Column<string>(type: "text", nullable: true),
                    security_stamp = table.Column<string>(type: "text", nullable: true),
                    concurrency_stamp = table.Column<string>(type: "text", nullable: true),
                    phone_number = table.Column<string>(type: "text", nullable: true),
                    phone_number_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                    two_factor_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    lockout_end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lockout_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    access_failed_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_users", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "import_keys",
                columns: table => new
                {
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    source_key = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    local_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_import_keys", x => new { x.site_id, x.kind, x.source_key });
                    table.ForeignKey(
                        name: "FK_import_keys_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "media_folders",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    normalized_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    parent_id = table.Column<long>(type: "bigint", nullable: true),
                    created_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    views = table.Column<long>(type: "bigint", nullable: false)
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
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(191)", maxLength: 191, nullable: false),
                    value = table.Column<string>(type: "text", nullable: false)
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
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    id = table.Column<long>(type: "bigint", nullable: false),
                    taxonomy = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    slug = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "text", nullable: false),
                    parent_id = table.Column<long>(type: "bigint", nullable: true)
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
                name: "app_passwords",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    name_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_used_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    last_ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_app_passwords", x => x.id);
                    table.ForeignKey(
                        name: "FK_app_passwords_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
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
                name: "oauth_grants",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    client_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    resource = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    scope = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    first_approved_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_approved_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_used_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_oauth_grants", x => x.id);
                    table.ForeignKey(
                        name: "FK_oauth_grants_oauth_clients_client_id",
                        column: x => x.client_id,
                        principalTable: "oauth_clients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_oauth_grants_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "posts",
                columns: table => new
                {
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    id = table.Column<long>(type: "bigint", nullable: false),
                    type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    title = table.Column<string>(type: "text", nullable: false),
                    content = table.Column<string>(type: "text", nullable: false),
                    excerpt = table.Column<string>(type: "text", nullable: false),
                    slug = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    author_id = table.Column<long>(type: "bigint", nullable: true),
                    date_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    modified_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    parent_id = table.Column<long>(type: "bigint", nullable: true),
                    menu_order = table.Column<int>(type: "integer", nullable: false),
                    sticky = table.Column<bool>(type: "boolean", nullable: false),
                    comment_status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ping_status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    format = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    password = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    mime_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    guid = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    comment_count = table.Column<long>(type: "bigint", nullable: false)
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
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    role = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    added_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    claim_type = table.Column<string>(type: "text", nullable: true),
                    claim_value = table.Column<string>(type: "text", nullable: true)
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
                    login_provider = table.Column<string>(type: "text", nullable: false),
                    provider_key = table.Column<string>(type: "text", nullable: false),
                    provider_display_name = table.Column<string>(type: "text", nullable: true),
                    user_id = table.Column<long>(type: "bigint", nullable: false)
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
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    login_provider = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    value = table.Column<string>(type: "text", nullable: true)
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

            migrationBuilder.CreateTable(
                name: "oauth_codes",
                columns: table => new
                {
                    hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    grant_id = table.Column<long>(type: "bigint", nullable: false),
                    client_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    redirect_uri = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    code_challenge = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    scope = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    resource = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    family_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    created_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    expires_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    redeemed_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_oauth_codes", x => x.hash);
                    table.ForeignKey(
                        name: "FK_oauth_codes_oauth_grants_grant_id",
                        column: x => x.grant_id,
                        principalTable: "oauth_grants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "oauth_grant_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    grant_id = table.Column<long>(type: "bigint", nullable: false),
                    at_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    message = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_oauth_grant_events", x => x.id);
                    table.ForeignKey(
                        name: "FK_oauth_grant_events_oauth_grants_grant_id",
                        column: x => x.grant_id,
                        principalTable: "oauth_grants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "oauth_grant_sites",
                columns: table => new
                {
                    grant_id = table.Column<long>(type: "bigint", nullable: false),
                    site_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_oauth_grant_sites", x => new { x.grant_id, x.site_id });
                    table.ForeignKey(
                        name: "FK_oauth_grant_sites_oauth_grants_grant_id",
                        column: x => x.grant_id,
                        principalTable: "oauth_grants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_oauth_grant_sites_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "oauth_tokens",
                columns: table => new
                {
                    hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    kind = table.Column<int>(type: "integer", nullable: false),
                    family_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    grant_id = table.Column<long>(type: "bigint", nullable: false),
                    client_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    scope = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    resource = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    created_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    expires_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    revoked_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    rotated_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    parent_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_oauth_tokens", x => x.hash);
                    table.ForeignKey(
                        name: "FK_oauth_tokens_oauth_grants_grant_id",
                        column: x => x.grant_id,
                        principalTable: "oauth_grants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "comments",
                columns: table => new
                {
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    id = table.Column<long>(type: "bigint", nullable: false),
                    post_id = table.Column<long>(type: "bigint", nullable: false),
                    parent_id = table.Column<long>(type: "bigint", nullable: true),
                    author_name = table.Column<string>(type: "character varying(250)", maxLength: 250, nullable: false),
                    author_email = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    author_url = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    author_ip = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    user_id = table.Column<long>(type: "bigint", nullable: true),
                    date_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    content = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false)
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
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    post_id = table.Column<long>(type: "bigint", nullable: false),
                    storage_path = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    source_url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    file_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    width = table.Column<int>(type: "integer", nullable: true),
                    height = table.Column<int>(type: "integer", nullable: true),
                    alt_text = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    content_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    folder_id = table.Column<long>(type: "bigint", nullable: true)
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

            migrationBuilder.CreateTable(
                name: "post_daily_views",
                columns: table => new
                {
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    post_id = table.Column<long>(type: "bigint", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    views = table.Column<long>(type: "bigint", nullable: false)
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
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    post_id = table.Column<long>(type: "bigint", nullable: false),
                    key = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    value = table.Column<string>(type: "text", nullable: false)
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
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    post_id = table.Column<long>(type: "bigint", nullable: false),
                    term_id = table.Column<long>(type: "bigint", nullable: false)
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
                name: "IX_app_passwords_user_id_name_key",
                table: "app_passwords",
                columns: new[] { "user_id", "name_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_change_records_call_id",
                table: "change_records",
                column: "call_id");

            migrationBuilder.CreateIndex(
                name: "IX_change_records_site_id_object_type_object_id",
                table: "change_records",
                columns: new[] { "site_id", "object_type", "object_id" });

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
                name: "IX_mcp_site_settings_site_id",
                table: "mcp_site_settings",
                column: "site_id");

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
                name: "IX_media_files_site_id_storage_path",
                table: "media_files",
                columns: new[] { "site_id", "storage_path" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_media_folders_parent_id",
                table: "media_folders",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "ix_media_folders_sibling_name",
                table: "media_folders",
                columns: new[] { "site_id", "parent_id", "normalized_name" },
                unique: true,
                filter: "parent_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_media_folders_site_id_parent_id_name",
                table: "media_folders",
                columns: new[] { "site_id", "parent_id", "name" });

            migrationBuilder.CreateIndex(
                name: "ix_media_folders_top_name",
                table: "media_folders",
                columns: new[] { "site_id", "normalized_name" },
                unique: true,
                filter: "parent_id IS NULL");

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

            migrationBuilder.CreateIndex(
                name: "IX_oauth_clients_created_utc",
                table: "oauth_clients",
                column: "created_utc");

            migrationBuilder.CreateIndex(
                name: "IX_oauth_codes_expires_utc",
                table: "oauth_codes",
                column: "expires_utc");

            migrationBuilder.CreateIndex(
                name: "IX_oauth_codes_grant_id",
                table: "oauth_codes",
                column: "grant_id");

            migrationBuilder.CreateIndex(
                name: "IX_oauth_grant_events_grant_id",
                table: "oauth_grant_events",
                column: "grant_id");

            migrationBuilder.CreateIndex(
                name: "IX_oauth_grant_sites_site_id",
                table: "oauth_grant_sites",
                column: "site_id");

            migrationBuilder.CreateIndex(
                name: "IX_oauth_grants_client_id",
                table: "oauth_grants",
                column: "client_id");

            migrationBuilder.CreateIndex(
                name: "IX_oauth_grants_user_id_client_id_resource",
                table: "oauth_grants",
                columns: new[] { "user_id", "client_id", "resource" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_oauth_tokens_expires_utc",
                table: "oauth_tokens",
                column: "expires_utc");

            migrationBuilder.CreateIndex(
                name: "IX_oauth_tokens_family_id",
                table: "oauth_tokens",
                column: "family_id");

            migrationBuilder.CreateIndex(
                name: "IX_oauth_tokens_grant_id",
                table: "oauth_tokens",
                column: "grant_id");

            migrationBuilder.CreateIndex(
                name: "IX_oauth_tokens_parent_hash",
                table: "oauth_tokens",
                column: "parent_hash");

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
                name: "IX_post_terms_site_id_term_id_post_id",
                table: "post_terms",
                columns: new[] { "site_id", "term_id", "post_id" });

            migrationBuilder.CreateIndex(
                name: "IX_posts_author_id",
                table: "posts",
                column: "author_id");

            migrationBuilder.CreateIndex(
                name: "IX_posts_scheduled",
                table: "posts",
                column: "date_utc",
                filter: "status = 'future'");

            migrationBuilder.CreateIndex(
                name: "ix_posts_search_cover",
                table: "posts",
                columns: new[] { "site_id", "id", "type", "status", "author_id", "date_utc" });

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

            // Everything below is written out as SQL: EF Core's model does not describe it.

            // Full-text index of posts (see Content/Search): a stored generated tsvector with the 'simple' configuration
            // (no stemming, like SQLite's unicode61), weighted title > excerpt > content.
            migrationBuilder.Sql("""
                ALTER TABLE posts ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
                  CASE WHEN type IN ('post', 'page') THEN
                    setweight(to_tsvector('simple', coalesce(title, '')), 'A') ||
                    setweight(to_tsvector('simple', regexp_replace(coalesce(excerpt, ''), '<[^>]*>', ' ', 'g')), 'B') ||
                    setweight(to_tsvector('simple', regexp_replace(coalesce(content, ''), '<[^>]*>', ' ', 'g')), 'C')
                  END) STORED;
                """);
            migrationBuilder.Sql("CREATE INDEX ix_posts_search_vector ON posts USING GIN (search_vector);");

            // The access version (Storage/AccessVersion) and the triggers that raise it. What they watch is what the MCP call
            // path caches: a token (its kind, grant, client, user, scope, resource, expiry, revocation), its grant (user,
            // client, resource, scope) and the grant's sites, the user's server-admin flag, login and lockout, memberships,
            // sites (what a reference resolves to, and what tools show of them), the three MCP settings tables, and
            // application passwords. Columns written on the hot path itself (a grant's or a password's "last used", a site's
            // id sequences) are left out on purpose: writing them must not empty every cache.
            migrationBuilder.Sql("CREATE TABLE access_version (id integer NOT NULL PRIMARY KEY CHECK (id = 1), value bigint NOT NULL);");
            migrationBuilder.Sql("INSERT INTO access_version (id, value) VALUES (1, 1);");
            migrationBuilder.Sql("""
                CREATE FUNCTION access_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  UPDATE access_version SET value = value + 1 WHERE id = 1;
                  RETURN NULL;
                END $$;
                """);
            // Statement triggers: one raise per statement, however many rows it touched (cascades run their own).
            migrationBuilder.Sql("CREATE TRIGGER access_version_oauth_tokens_update AFTER UPDATE OF kind, grant_id, client_id, user_id, scope, resource, expires_utc, revoked_utc ON oauth_tokens FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_oauth_tokens_delete AFTER DELETE ON oauth_tokens FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_oauth_grants_update AFTER UPDATE OF user_id, client_id, resource, scope ON oauth_grants FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_oauth_grants_delete AFTER DELETE ON oauth_grants FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_oauth_grant_sites_insert AFTER INSERT ON oauth_grant_sites FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_oauth_grant_sites_update AFTER UPDATE ON oauth_grant_sites FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_oauth_grant_sites_delete AFTER DELETE ON oauth_grant_sites FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_users_update AFTER UPDATE OF is_server_admin, user_name, normalized_user_name, lockout_enabled, lockout_end ON users FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_users_delete AFTER DELETE ON users FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_site_members_insert AFTER INSERT ON site_members FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_site_members_update AFTER UPDATE ON site_members FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_site_members_delete AFTER DELETE ON site_members FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_sites_insert AFTER INSERT ON sites FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_sites_update AFTER UPDATE OF slug, title, tagline, host_name, time_zone, language ON sites FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_sites_delete AFTER DELETE ON sites FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_mcp_account_settings_insert AFTER INSERT ON mcp_account_settings FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_mcp_account_settings_update AFTER UPDATE ON mcp_account_settings FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_mcp_account_settings_delete AFTER DELETE ON mcp_account_settings FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_mcp_tool_settings_insert AFTER INSERT ON mcp_tool_settings FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_mcp_tool_settings_update AFTER UPDATE ON mcp_tool_settings FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_mcp_tool_settings_delete AFTER DELETE ON mcp_tool_settings FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_mcp_site_settings_insert AFTER INSERT ON mcp_site_settings FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_mcp_site_settings_update AFTER UPDATE ON mcp_site_settings FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_mcp_site_settings_delete AFTER DELETE ON mcp_site_settings FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_app_passwords_insert AFTER INSERT ON app_passwords FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_app_passwords_update AFTER UPDATE OF user_id, hash ON app_passwords FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
            migrationBuilder.Sql("CREATE TRIGGER access_version_app_passwords_delete AFTER DELETE ON app_passwords FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_posts_search_vector;");
            migrationBuilder.Sql("ALTER TABLE posts DROP COLUMN search_vector;");
            migrationBuilder.DropTable(
                name: "activity_log");

            migrationBuilder.DropTable(
                name: "app_passwords");

            migrationBuilder.DropTable(
                name: "change_records");

            migrationBuilder.DropTable(
                name: "comments");

            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "import_keys");

            migrationBuilder.DropTable(
                name: "mcp_account_settings");

            migrationBuilder.DropTable(
                name: "mcp_site_settings");

            migrationBuilder.DropTable(
                name: "mcp_tool_settings");

            migrationBuilder.DropTable(
                name: "media_files");

            migrationBuilder.DropTable(
                name: "media_rules");

            migrationBuilder.DropTable(
                name: "media_scan_results");

            migrationBuilder.DropTable(
                name: "oauth_codes");

            migrationBuilder.DropTable(
                name: "oauth_grant_events");

            migrationBuilder.DropTable(
                name: "oauth_grant_sites");

            migrationBuilder.DropTable(
                name: "oauth_tokens");

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
                name: "media_scans");

            migrationBuilder.DropTable(
                name: "oauth_grants");

            migrationBuilder.DropTable(
                name: "posts");

            migrationBuilder.DropTable(
                name: "terms");

            migrationBuilder.DropTable(
                name: "oauth_clients");

            migrationBuilder.DropTable(
                name: "users");

            migrationBuilder.DropTable(
                name: "sites");

            migrationBuilder.Sql("DROP TABLE access_version;");
            migrationBuilder.Sql("DROP FUNCTION access_version_bump();");
        }
    }
}
