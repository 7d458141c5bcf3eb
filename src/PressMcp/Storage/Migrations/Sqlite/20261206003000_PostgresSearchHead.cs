using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Sqlite
{
    /// <summary>
    /// Nothing on SQLite: PostgreSQL's migration of the same name adds <c>search_head</c>, a title-and-excerpt tsvector,
    /// which SQLite's full-text index does not need (its column filters test title and excerpt on their own). It exists so
    /// both providers keep one list of migrations (Storage/ModelTests).
    /// </summary>
    public partial class PostgresSearchHead : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
