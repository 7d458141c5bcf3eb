using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ProfileInAccessVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // user/profile is answered from a cache kept per access version (Accounts/ProfileCache): every column it shows must raise it.
            migrationBuilder.Sql("DROP TRIGGER access_version_users_update;");
            migrationBuilder.Sql("CREATE TRIGGER access_version_users_update AFTER UPDATE OF is_server_admin, user_name, normalized_user_name, lockout_enabled, lockout_end, disabled_utc, display_name, email, website, bio ON users BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER access_version_users_update;");
            migrationBuilder.Sql("CREATE TRIGGER access_version_users_update AFTER UPDATE OF is_server_admin, user_name, normalized_user_name, lockout_enabled, lockout_end, disabled_utc ON users BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;");
        }
    }
}
