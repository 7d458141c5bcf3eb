using System.Buffers;
using System.Text;
using PressMcp.Content;
using PressMcp.Content.Search;
using SQLitePCL;

namespace PressMcp.Storage.Sql;

/// <summary>
/// The SQL functions PressMcp's SQLite schema calls: the full-text index's triggers (and
/// <see cref="SearchIndexDeferral"/>) index words, not markup (<c>pm_strip_tags</c>), and a facets column of
/// type, status, author and protection (<see cref="SearchFacets.SqlFunction"/>). Registered on the <c>sqlite3</c>
/// handle itself by <see cref="SqliteConnectionSetup"/>, once per handle: <c>SqliteConnection.CreateFunction</c> would
/// register them again at every open and remove them at every close, which cost more than a simple query. They are pure
/// and deterministic, so leaving them on a pooled handle is harmless.
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

    private static readonly delegate_function_scalar Facets = (ctx, _, args) =>
    {
        string? Text(int i) => raw.sqlite3_value_type(args[i]) == raw.SQLITE_NULL ? null : raw.sqlite3_value_text(args[i]).utf8_to_string();
        long? author = raw.sqlite3_value_type(args[2]) == raw.SQLITE_NULL ? null : raw.sqlite3_value_int64(args[2]);
        // The fourth argument, the post's password (migration ProtectedSearchFacets), is only tested for being set;
        // migrations before it call the function with three.
        var isProtected = args.Length > 3 && !string.IsNullOrEmpty(Text(3));
        raw.sqlite3_result_text(ctx, SearchFacets.Of(Text(0), Text(1), author, isProtected));
    };

    /// <summary>Registers the functions on a handle; throws when SQLite refuses one (the triggers would fail without it).</summary>
    public static void Register(sqlite3 handle)
    {
        // Used by the full-text index triggers (Search migration): index words, not markup.
        Create(handle, StripTagsName, 1, StripTags);
        // The full-text index's facets column (type, status, author, protected; migrations SearchFacets and
        // ProtectedSearchFacets): -1, any number of arguments, since the earlier migration's statements pass three.
        Create(handle, SearchFacets.SqlFunction, -1, Facets);
    }

    private static void Create(sqlite3 handle, string name, int arguments, delegate_function_scalar function)
    {
        var rc = raw.sqlite3_create_function(handle, name, arguments, raw.SQLITE_UTF8 | raw.SQLITE_DETERMINISTIC, null, function);
        if (rc != raw.SQLITE_OK) throw new InvalidOperationException($"SQLite could not register {name} (error {rc}).");
    }
}
