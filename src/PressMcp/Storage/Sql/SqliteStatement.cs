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

    /// <summary>A parameter with no value bound by this class yet (or whose binding failed).</summary>
    private static readonly object Unbound = new();

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly object?[] _bound;

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
        _bound = new object?[raw.sqlite3_bind_parameter_count(_statement)];
        _bound.AsSpan().Fill(Unbound);
    }

    /// <summary>
    /// Runs the statement with these values for its parameters, in order; returns the rows it changed. A value equal to
    /// the one the same parameter had in the previous run is not bound again: SQLite keeps bindings across runs
    /// (<c>sqlite3_reset</c> leaves them), and most columns of a bulk insert repeat from row to row (the activity log's
    /// user, client, tool, outcome…), where each binding is a native call and, for text, a conversion.
    /// </summary>
    public int Run(params ReadOnlySpan<object?> values)
    {
        // More values than parameters: the extra one's binding fails (SQLITE_RANGE) as it always did.
        if (values.Length > _bound.Length) Bind(values.Length, values[^1]);
        for (var i = 0; i < values.Length; i++)
        {
            if (SameBinding(_bound[i], values[i])) continue;
            _bound[i] = Unbound;
            Bind(i + 1, values[i]);
            _bound[i] = values[i];
        }
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

    /// <summary>
    /// Whether binding <paramref name="value"/> would bind exactly what <paramref name="bound"/> did: the same reference,
    /// or an equal string (ordinal) or boxed value of the same type (a long and an int, or null and DBNull, are bound
    /// again, which is merely the old cost). Doubles compare by their bits: 0.0 equals -0.0, but they are two values.
    /// </summary>
    private static bool SameBinding(object? bound, object? value) =>
        ReferenceEquals(bound, value) || (bound is not null && value is not null && bound != Unbound && bound.GetType() == value.GetType()
            && (bound is double a ? BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits((double)value) : bound.Equals(value)));

    private void Bind(int index, object? value)
    {
        var rc = value switch
        {
            null or DBNull => raw.sqlite3_bind_null(_statement, index),
            // Text is bound as the UTF-16 it is (SQLite converts it to the database's UTF-8 and copies it), so a value
            // costs no UTF-8 array of its own; dates and Guids are formatted on the stack. The activity log binds a
            // dozen values for every MCP call, and these copies were most of the binding's cost and of its garbage.
            string s => BindText(index, s),
            long l => raw.sqlite3_bind_int64(_statement, index, l),
            int n => raw.sqlite3_bind_int64(_statement, index, n),
            bool b => raw.sqlite3_bind_int64(_statement, index, b ? 1 : 0),
            DateTime d => BindDate(index, d),
            double d => raw.sqlite3_bind_double(_statement, index, d),
            Guid g => BindGuid(index, g),
            _ => throw new NotSupportedException($"No binding for a value of type {value.GetType().Name}."),
        };
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    /// <summary>
    /// Two cases keep the UTF-8 binding, so that they are stored exactly as before: the empty string (an empty span has
    /// no address, and SQLite binds a text without one as NULL) and text holding surrogates, which might be unpaired
    /// (.NET's encoder replaces those with U+FFFD and SQLite's would not). Both bindings give SQLite the length, so text
    /// holding NUL is stored whole either way.
    /// </summary>
    private int BindText(int index, string value) =>
        value.Length == 0 || value.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF')
            ? raw.sqlite3_bind_text(_statement, index, value)
            : raw.sqlite3_bind_text16(_statement, index, value.AsSpan());

    private int BindDate(int index, DateTime value)
    {
        Span<char> text = stackalloc char[27];
        return raw.sqlite3_bind_text16(_statement, index, text[..FormatDate(value, text)]);
    }

    /// <summary>
    /// <paramref name="value"/> as <see cref="DateTimeFormat"/> writes it, into <paramref name="text"/> (27 characters at
    /// most); returns the length. Written digit by digit: the custom-format parser was a tenth of an activity entry's
    /// write. <c>FFFFFFF</c> drops the fraction's trailing zeros, and its dot with them when nothing is left.
    /// </summary>
    private static int FormatDate(DateTime value, Span<char> text)
    {
        Digits(text[..4], value.Year);
        text[4] = '-';
        Digits(text.Slice(5, 2), value.Month);
        text[7] = '-';
        Digits(text.Slice(8, 2), value.Day);
        text[10] = ' ';
        Digits(text.Slice(11, 2), value.Hour);
        text[13] = ':';
        Digits(text.Slice(14, 2), value.Minute);
        text[16] = ':';
        Digits(text.Slice(17, 2), value.Second);
        var fraction = (int)(value.Ticks % TimeSpan.TicksPerSecond);
        if (fraction == 0) return 19;
        text[19] = '.';
        Digits(text.Slice(20, 7), fraction);
        var length = 27;
        while (text[length - 1] == '0') length--;
        return length;
    }

    /// <summary>Writes <paramref name="value"/> in decimal, padded with zeros to the span's length.</summary>
    private static void Digits(Span<char> text, int value)
    {
        for (var i = text.Length - 1; i >= 0; i--, value /= 10) text[i] = (char)('0' + value % 10);
    }

    /// <summary>As EF Core stores a Guid on SQLite: upper-case text.</summary>
    private int BindGuid(int index, Guid value)
    {
        Span<char> text = stackalloc char[36];
        value.TryFormat(text, out _, "D");
        for (var i = 0; i < text.Length; i++) text[i] = char.ToUpperInvariant(text[i]);
        return raw.sqlite3_bind_text16(_statement, index, text);
    }

    public void Dispose() => _statement.Dispose();
}
