using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Postgres
{
    /// <summary>
    /// Nothing on PostgreSQL: its search reads the password from the posts row it already has (Content/Search/PostSearch,
    /// ProtectedByTitle). SQLite's part marks protected posts in its separate FTS5 index. No change to the model.
    /// </summary>
    [DbContext(typeof(PostgresPressDbContext))]
    [Migration("20261205063001_ProtectedSearchFacets")]
    public partial class ProtectedSearchFacets : Migration
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
