using Microsoft.EntityFrameworkCore;
using PressMcp.Storage.Sql;

namespace PressMcp.Content.Search;

/// <summary>
/// What SQLite's full-text index reads from a post besides its title, kept in columns of <c>posts</c> so that the index's
/// triggers need no function of this application: any SQLite client (the <c>sqlite3</c> shell included) can write posts.
/// <list type="bullet">
/// <item><c>excerpt_text</c>, <c>content_text</c>: the excerpt and content without markup (<see cref="HtmlText.Strip"/>),
/// or NULL when stripping changes nothing; the index takes <c>coalesce(content_text, content)</c>. The application
/// writes them with the post, wherever it writes one (<see cref="Fill"/> for EF Core, <see cref="ValueOf"/> for the
/// bulk inserts of Storage/Sql/EntityTable, <see cref="OfSql"/> for the import's INSERT … SELECT). A statement that changes content or excerpt outside those (<c>ExecuteUpdate</c>, raw SQL) must set them
/// too, to the new text or to NULL: the index follows what these columns say.</item>
/// <item><c>search_facets</c>: a generated column, <see cref="SearchFacets.Of"/> in SQL.</item>
/// </list>
/// The index is contentless, and SQLite before 3.43 can only remove a row from it by naming the words it was indexed with
/// (FTS5's 'delete' command); these columns are exactly those words, so a later update or delete can name them.
/// PostgreSQL has none of this: its search vector is a generated column computed from the post itself.
/// </summary>
internal static class SearchText
{
    /// <summary>The shadow properties of <see cref="Post"/> (SQLite's model only); the columns are their snake_case names.</summary>
    public const string ExcerptTextProperty = "ExcerptText", ContentTextProperty = "ContentText", SearchFacetsProperty = "SearchFacets";

    /// <summary>
    /// <see cref="SearchFacets.Of"/> as SQL over the posts row: byte for byte the same tokens (a test compares them over every
    /// type and status). Only built-in functions, so that a plain SQLite client can evaluate it.
    /// </summary>
    public const string FacetsSql =
        "char(57344) || 't' || CASE type WHEN 'post' THEN 'post' WHEN 'page' THEN 'page' ELSE 'other' END"
        + " || ' ' || char(57344) || 's' || CASE status WHEN 'publish' THEN 'publish' WHEN 'future' THEN 'future' WHEN 'draft' THEN 'draft'"
        + " WHEN 'pending' THEN 'pending' WHEN 'private' THEN 'private' WHEN 'trash' THEN 'trash' ELSE 'other' END"
        + " || ' ' || char(57344) || 'a' || replace(CAST(coalesce(author_id, 0) AS TEXT), '-', '')"
        + " || CASE WHEN password <> '' THEN ' ' || char(57344) || 'pprotected' ELSE '' END";

    /// <summary>The stored text of <paramref name="html"/>: without markup, or null when stripping changes nothing.</summary>
    public static string? Of(string? html)
    {
        var text = HtmlText.Strip(html);
        return string.Equals(text, html, StringComparison.Ordinal) ? null : text;
    }

    /// <summary>
    /// <see cref="Of"/> in SQL over a column or expression of HTML, for an INSERT … SELECT (the import's,
    /// Import/StagedInserts): <c>pm_strip_tags</c> is <see cref="HtmlText.Strip"/>, registered on the application's own
    /// SQLite connections (Storage/Sql/SqliteFunctions).
    /// </summary>
    public static string OfSql(string html) => $"nullif({SqliteFunctions.StripTagsName}({html}), {html})";

    /// <summary>
    /// How a shadow property's value follows from the post, for hand-written inserts (Storage/Sql/EntityTable, which
    /// writes every column of the model): null for a property that is not one of these columns.
    /// </summary>
    public static Func<Post, object?>? ValueOf(string property) => property switch
    {
        ExcerptTextProperty => p => Of(p.Excerpt),
        ContentTextProperty => p => Of(p.Content),
        _ => null,
    };

    /// <summary>
    /// Maps the columns onto <see cref="Post"/> as shadow properties (SQLite only). They are in the model, not only in
    /// the migration's SQL, so that a later migration which rebuilds the posts table keeps them.
    /// </summary>
    public static void Configure(ModelBuilder builder)
    {
        var e = builder.Entity<Post>();
        e.Property<string?>(ExcerptTextProperty);
        e.Property<string?>(ContentTextProperty);
        e.Property<string?>(SearchFacetsProperty).HasComputedColumnSql(FacetsSql, stored: false);
    }

    /// <summary>
    /// Sets the stored text of every post added, or whose excerpt or content changed, in <paramref name="db"/>'s change
    /// tracker: EF Core writes it in the same statement as the post.
    /// </summary>
    public static void Fill(DbContext db)
    {
        foreach (var entry in db.ChangeTracker.Entries<Post>())
        {
            if (entry.State == EntityState.Added
                || (entry.State == EntityState.Modified && (entry.Property(p => p.Content).IsModified || entry.Property(p => p.Excerpt).IsModified)))
            {
                entry.Property(ExcerptTextProperty).CurrentValue = Of(entry.Entity.Excerpt);
                entry.Property(ContentTextProperty).CurrentValue = Of(entry.Entity.Content);
            }
        }
    }
}
