using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DeferredSearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Nothing on PostgreSQL: its search vector is a generated column, computed with each row and needing no
            // triggers to defer. (SQLite's part of this migration lets bulk imports fill its FTS5 index in one statement.)
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
