using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace PressMcp.Storage.Sql;

/// <summary>
/// A statement prepared once on a SQLite connection's handle and run for many rows, its values bound by position. The
/// fast path for bulk writes (imports, the demo generator): for each execution Microsoft.Data.Sqlite looks every
/// parameter up by name (a linear search in SQLite) and builds a data reader, which costs more than inserting a narrow
/// row. Values are stored exactly as Microsoft.Data.Sqlite and EF Core store them (text for dates, in their format; 0/1
/// for booleans, upper-case text for a Guid), so rows written here and rows written by EF Core compare and sort alike. It runs inside whatever
/// transaction the connection has open. SQL text comes from the callers' constants; values are always bound.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    /// <summary>How Microsoft.Data.Sqlite and EF Core write a DateTime.</summary>
    public const string DateTimeFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    /// <summary>Runs the statement with these values for its parameters, in order; returns the rows it changed.</summary>
    public int Run(params ReadOnlySpan<object?> values)
    {
        for (var i = 0; i < values.Length; i++) Bind(i + 1, values[i]);
        var rc = raw.sqlite3_step(_statement);
        try
        {
            if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _db);
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    private void Bind(int index, object? value)
    {
        var rc = value switch
        {
            null or DBNull => raw.sqlite3_bind_null(_statement, index),
            string s => raw.sqlite3_bind_text(_statement, index, s),
            long l => raw.sqlite3_bind_int64(_statement, index, l),
            int n => raw.sqlite3_bind_int64(_statement, index, n),
            bool b => raw.sqlite3_bind_int64(_statement, index, b ? 1 : 0),
            DateTime d => raw.sqlite3_bind_text(_statement, index, d.ToString(DateTimeFormat, CultureInfo.InvariantCulture)),
            double d => raw.sqlite3_bind_double(_statement, index, d),
            // As EF Core stores a Guid on SQLite: upper-case text.
            Guid g => raw.sqlite3_bind_text(_statement, index, g.ToString("D").ToUpperInvariant()),
            _ => throw new NotSupportedException($"No binding for a value of type {value.GetType().Name}."),
        };
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public void Dispose() => _statement.Dispose();
}
