using System.Data.Common;
using System.Globalization;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Content;

/// <summary>
/// Reads rows for a page of results by id with one plain command each, on the connection the request already has
/// open. Search and its callers read ten posts, their authors and their terms on every call; through EF Core's
/// <c>Contains</c> over an id list each of these cost 150–450 µs of CPU, most of it building the statement again for
/// the list (measured with <c>bench -- mcp --phases</c>, docs/performance.md), against a fifth of that here. The
/// columns and how each is read are the model's (<see cref="EntityTable{T}"/>), so a column added to the entity is read
/// here too; PostRowsTests checks every property against EF Core on both providers.
/// </summary>
internal static class PostRows
{
    /// <summary>
    /// The site's posts with these ids, in the order of <paramref name="ids"/> (ids not found are left out). With
    /// <see cref="PostRead.ForExcerpt"/> a post's <see cref="Post.Content"/> is only what its automatic excerpt needs first.
    /// </summary>
    public static async Task<List<Post>> ByIdsAsync(PressDbContext db, long siteId, IReadOnlyList<long> ids, CancellationToken ct, PostRead read = PostRead.Whole)
    {
        if (ids.Count == 0) return [];
        var posts = EntityTable<Post>.Of(db);
        var columns = read == PostRead.Whole ? posts.ColumnList : ForExcerptColumns.GetValue(posts, ForExcerptColumnList);
        var found = new Dictionary<long, Post>(ids.Count);
        await ReadAsync(db, sql => sql.Append("SELECT ").Append(columns).Append(" FROM ").Append(posts.Name)
            .Append(" WHERE site_id = ").Value(siteId).Append(" AND id IN ").List(ids.Distinct()), r =>
        {
            var post = posts.Read(r);
            found[post.Id] = post;
        }, ct);
        var ordered = new List<Post>(found.Count);
        foreach (var id in ids)
            if (found.Remove(id, out var post)) ordered.Add(post);
        return ordered;
    }

    /// <summary>
    /// <see cref="PostRead.ForExcerpt"/>'s select list: the content's first <see cref="HtmlText.ExcerptStart"/> characters
    /// when the post has no excerpt of its own (both engines' substr counts characters), else nothing. Why: search answers
    /// ten excerpts a call, and the whole content was the largest part of the bytes a posts-search call allocated
    /// (docs/performance.md, Search); the start decides most excerpts, and <see cref="ContentsAsync"/> reads the others.
    /// Made once per model (<see cref="ForExcerptColumns"/>), not on every search.
    /// </summary>
    private static string ForExcerptColumnList(EntityTable<Post> posts) => posts.ColumnListReading(nameof(Post.Content), string.Create(CultureInfo.InvariantCulture,
        $"CASE WHEN {posts.ColumnOf(nameof(Post.Excerpt))} = '' THEN substr({posts.ColumnOf(nameof(Post.Content))}, 1, {HtmlText.ExcerptStart()}) ELSE '' END"));

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<EntityTable<Post>, string> ForExcerptColumns = new();

    /// <summary>
    /// Whether <paramref name="post"/>, read with <see cref="PostRead.ForExcerpt"/>, may hold less than its whole content:
    /// as long as the start read (a character the statement counted is one or two of .NET's, so a shorter text is whole).
    /// </summary>
    public static bool ContentMayBeCut(Post post) => post.Content.Length >= HtmlText.ExcerptStart();

    /// <summary>The whole content of these posts of the site, by id.</summary>
    public static async Task<Dictionary<long, string>> ContentsAsync(PressDbContext db, long siteId, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var contents = new Dictionary<long, string>(ids.Count);
        if (ids.Count == 0) return contents;
        var posts = EntityTable<Post>.Of(db);
        await ReadAsync(db, sql => sql.Append("SELECT id, ").Append(posts.ColumnOf(nameof(Post.Content))).Append(" FROM ").Append(posts.Name)
            .Append(" WHERE site_id = ").Value(siteId).Append(" AND id IN ").List(ids), r => contents[r.GetInt64(0)] = r.GetString(1), ct);
        return contents;
    }

    /// <summary>The terms of these posts, as (post id, term) pairs.</summary>
    public static async Task<List<(long PostId, Term Term)>> TermsOfAsync(PressDbContext db, long siteId, IReadOnlyCollection<long> postIds, CancellationToken ct)
    {
        var rows = new List<(long, Term)>();
        if (postIds.Count == 0) return rows;
        var terms = EntityTable<Term>.Of(db);
        await ReadAsync(db, sql => AppendTermsOf(db, sql, siteId, postIds), r => rows.Add((r.GetInt64(0), terms.Read(r, first: 1))), ct);
        return rows;
    }

    /// <summary>
    /// The terms of these posts and their authors' names (<see cref="UserRows.AuthorNamesAsync"/>), in one command of two
    /// statements: on PostgreSQL one round trip where every page of posts (a search, a listing, a post read) took two.
    /// </summary>
    public static async Task<(List<(long PostId, Term Term)> Terms, Dictionary<long, string> Authors)> LabelsAsync(
        PressDbContext db, long siteId, IReadOnlyCollection<long> postIds, IReadOnlyCollection<long> authorIds, CancellationToken ct)
    {
        if (authorIds.Count == 0) return (await TermsOfAsync(db, siteId, postIds, ct), []);
        if (postIds.Count == 0) return ([], await UserRows.AuthorNamesAsync(db, authorIds, ct));
        var terms = EntityTable<Term>.Of(db);
        var rows = new List<(long, Term)>();
        var names = new Dictionary<long, string>(authorIds.Count);
        await using var connection = await ContextConnection.OpenAsync(db, ct);
        await using var command = connection.Command();
        var sql = AppendTermsOf(db, new SqlBuilder(command), siteId, postIds).Append("; ");
        await using var reader = await UserRows.AppendAuthorNames(sql, authorIds).Build().ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) rows.Add((reader.GetInt64(0), terms.Read(reader, first: 1)));
        if (!await reader.NextResultAsync(ct)) throw new InvalidOperationException("The authors' statement returned no result.");
        while (await reader.ReadAsync(ct)) UserRows.AddAuthorName(names, reader);
        return (rows, names);
    }

    private static SqlBuilder AppendTermsOf(PressDbContext db, SqlBuilder sql, long siteId, IReadOnlyCollection<long> postIds)
    {
        var terms = EntityTable<Term>.Of(db);
        var postTerms = EntityTable<PostTerm>.Of(db);
        return sql.Append("SELECT pt.post_id, ").Append(terms.ColumnListOf("t")).Append(" FROM ").Append(postTerms.Name).Append(" pt")
            .Append(" JOIN ").Append(terms.Name).Append(" t ON t.site_id = pt.site_id AND t.id = pt.term_id WHERE pt.site_id = ").Value(siteId)
            .Append(" AND pt.post_id IN ").List(postIds);
    }

    /// <summary>Runs one statement on the context's connection (opening it if EF Core has not) and hands each row to <paramref name="row"/>.</summary>
    private static async Task ReadAsync(PressDbContext db, Action<SqlBuilder> build, Action<DbDataReader> row, CancellationToken ct)
    {
        await using var connection = await ContextConnection.OpenAsync(db, ct);
        await using var command = connection.Command();
        var sql = new SqlBuilder(command);
        build(sql);
        await using var reader = await sql.Build().ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) row(reader);
    }
}

/// <summary>How much of each post a read of a page of posts takes (<see cref="PostRows.ByIdsAsync"/>).</summary>
internal enum PostRead
{
    /// <summary>Every column whole.</summary>
    Whole,

    /// <summary>
    /// Every column, but the content only as far as the automatic excerpt needs first, and none when the post has an
    /// excerpt of its own (<see cref="PostRows.ContentMayBeCut"/>): for a list that shows excerpts, never for writing back.
    /// </summary>
    ForExcerpt,
}
