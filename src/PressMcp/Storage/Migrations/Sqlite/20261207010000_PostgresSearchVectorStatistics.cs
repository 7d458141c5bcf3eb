using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Sqlite
{
    /// <summary>
    /// Nothing on SQLite: PostgreSQL's migration of the same name raises <c>search_vector</c>'s statistics target, which
    /// SQLite's full-text index does not need (FTS5's vocabulary gives a word's posts exactly). It exists so both
    /// providers keep one list of migrations (Storage/ModelTests).
    /// </summary>
    public partial class PostgresSearchVectorStatistics : Migration
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
