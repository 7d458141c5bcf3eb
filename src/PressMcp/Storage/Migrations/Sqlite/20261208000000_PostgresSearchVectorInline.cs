using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Sqlite
{
    /// <summary>
    /// Nothing on SQLite: PostgreSQL's migration of the same name keeps <c>search_vector</c> in the posts row instead of
    /// TOAST; SQLite keeps its full-text index apart from the row. It exists so both providers keep one list of
    /// migrations (Storage/ModelTests).
    /// </summary>
    public partial class PostgresSearchVectorInline : Migration
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
