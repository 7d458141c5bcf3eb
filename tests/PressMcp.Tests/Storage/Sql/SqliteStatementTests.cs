using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using PressMcp.Storage.Sql;

namespace PressMcp.Tests.Storage.Sql;

/// <summary>
/// <see cref="SqliteStatement"/> stores every value as it always did (text as its UTF-8, dates and Guids in EF Core's
/// text forms, booleans as 0/1), whether a value is bound anew or left bound from the previous row because it repeats.
/// </summary>
[Trait(Category.Name, Category.Unit)]
public sealed class SqliteStatementTests
{
    private static readonly DateTime When = new(2026, 12, 6, 10, 0, 0, 123, DateTimeKind.Utc);
    private static readonly Guid Id = Guid.Parse("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");

    [Fact]
    public async Task Run_RepeatedAndChangingValues_StoresEachRowsOwnValues()
    {
        object?[][] rows =
        [
            [1L, "text", "", null, When, Id, 5L],
            // Every value repeats: nothing is bound again, and the row is still the same.
            [2L, "text", "", null, When, Id, 5L],
            // Each changes: other text (beyond ASCII), a value where there was NULL and back, another date and Guid, an int for a long.
            [3L, "ünïcödé ✓", "x", DBNull.Value, When.AddTicks(1), Guid.Empty, 5],
            // An unpaired surrogate is stored as .NET's UTF-8 encoder writes it (U+FFFD), an empty string as empty text.
            [4L, "\uD800 lone", "", "back", When.AddTicks(1), Guid.Empty, true],
            // Equal but not the same string instance; a boolean after an int of the same value.
            [5L, new string("text".AsSpan()), "", null, When, Id, false],
            // Text holding NUL is stored whole, as it always was.
            [12L, "before\0after", "", null, When, Id, 0L],
            [6L, "text", "", null, When, Id, 0L],
            // Dates with no fraction, a fraction ending in zeros, one tick, the largest fraction, an early year.
            [7L, "text", "", null, When.AddMilliseconds(-123), Id, 0L],
            [8L, "text", "", null, When.AddTicks(-1_229_000), Id, 0L],
            [9L, "text", "", null, When.AddMilliseconds(-123).AddTicks(1), Id, 0L],
            [10L, "text", "", null, When.AddMilliseconds(-123).AddTicks(-1), Id, 0L],
            [11L, "text", "", null, new DateTime(987, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(50), Id, 0L],
        ];
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using (var create = connection.CreateCommand())
        {
            // No declared types, so each value keeps the storage class it was bound with.
            create.CommandText = "CREATE TABLE t (n, a, b, c, d, e, f)";
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
        using (var insert = new SqliteStatement(connection, "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)"))
        {
            foreach (var row in rows) Assert.Equal(1, insert.Run(row));
        }

        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT typeof(a), hex(a), typeof(b), hex(b), typeof(c), hex(c), typeof(d), hex(d), typeof(e), hex(e), typeof(f), hex(f) FROM t ORDER BY rowid";
        await using var reader = await read.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        foreach (var row in rows)
        {
            Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
            for (var column = 1; column < row.Length; column++)
            {
                var (type, hex) = Stored(row[column]);
                Assert.Equal(type, reader.GetString(2 * (column - 1)));
                Assert.Equal(hex, reader.GetString(2 * (column - 1) + 1));
            }
        }
        Assert.False(await reader.ReadAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>What the statement has always stored for a value: SQLite's type name and the hex of its bytes (or of an integer's digits).</summary>
    private static (string Type, string Hex) Stored(object? value) => value switch
    {
        null or DBNull => ("null", ""),
        string s => ("text", Convert.ToHexString(Encoding.UTF8.GetBytes(s))),
        DateTime d => ("text", Convert.ToHexString(Encoding.UTF8.GetBytes(d.ToString(SqliteStatement.DateTimeFormat, CultureInfo.InvariantCulture)))),
        Guid g => ("text", Convert.ToHexString(Encoding.UTF8.GetBytes(g.ToString("D").ToUpperInvariant()))),
        bool b => ("integer", Convert.ToHexString(Encoding.ASCII.GetBytes(b ? "1" : "0"))),
        _ => ("integer", Convert.ToHexString(Encoding.ASCII.GetBytes(Convert.ToString(value, CultureInfo.InvariantCulture)!))),
    };
}
