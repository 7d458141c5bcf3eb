using System.Buffers;
using System.Text;
using PressMcp.Content;
using PressMcp.Content.Search;
using SQLitePCL;

namespace PressMcp.Storage.Sql;

/// <summary>
/// The SQL function PressMcp's own statements call on SQLite: <c>pm_strip_tags</c>, <see cref="HtmlText.Strip"/> in
/// SQL, with which the import's INSERT … SELECT of new posts (Import/StagedInserts) stores their search text
/// (<see cref="SearchText"/>) in the statement that inserts them. No trigger calls it, so any SQLite client can write the
/// tables. Registered on the <c>sqlite3</c> handle itself by <see cref="SqliteConnectionSetup"/>, once per handle:
/// <c>SqliteConnection.CreateFunction</c> would register it again at every open and remove it at every close, which
/// cost more than a simple query. It is pure and deterministic, so leaving it on a pooled handle is harmless.
/// </summary>
internal static class SqliteFunctions
{
    public const string StripTagsName = "pm_strip_tags";

    // One delegate for every handle (SQLitePCL keeps a reference per registration).
    private static readonly delegate_function_scalar StripTags = (ctx, _, args) =>
    {
        if (raw.sqlite3_value_type(args[0]) == raw.SQLITE_NULL)
        {
            raw.sqlite3_result_text(ctx, HtmlText.Strip(null));
            return;
        }
        // Most text has no entity to decode: stripped as UTF-8, straight from SQLite's bytes to its result.
        var html = raw.sqlite3_value_blob(args[0]);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(html.Length, 1));
        try
        {
            if (HtmlText.TryStripUtf8(html, buffer, out var written))
                raw.sqlite3_result_text(ctx, buffer.AsSpan(0, written));
            else
                raw.sqlite3_result_text(ctx, HtmlText.Strip(Encoding.UTF8.GetString(html)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    };

    /// <summary>Registers the functions on a handle; throws when SQLite refuses one (the import's statements would fail without it).</summary>
    public static void Register(sqlite3 handle)
    {
        Create(handle, StripTagsName, 1, StripTags);
    }

    private static void Create(sqlite3 handle, string name, int arguments, delegate_function_scalar function)
    {
        var rc = raw.sqlite3_create_function(handle, name, arguments, raw.SQLITE_UTF8 | raw.SQLITE_DETERMINISTIC, null, function);
        if (rc != raw.SQLITE_OK) throw new InvalidOperationException($"SQLite could not register {name} (error {rc}).");
    }
}
