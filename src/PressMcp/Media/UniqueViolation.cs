using Microsoft.EntityFrameworkCore;

namespace PressMcp.Media;

/// <summary>Whether a failed save was refused by a unique index (SQLite's SQLITE_CONSTRAINT_UNIQUE, PostgreSQL's 23505).</summary>
internal static class UniqueViolation
{
    public static bool Is(DbUpdateException ex) => ex.InnerException switch
    {
        Microsoft.Data.Sqlite.SqliteException s => s.SqliteExtendedErrorCode is 2067 or 1555,
        Npgsql.PostgresException p => p.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
