using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using PressMcp.Content.Search;
using PressMcp.Storage;

namespace PressMcp.Content;

/// <summary>
/// Reads rows for a page of results by id with one plain command each, on the connection the request already has
/// open. Search and its callers read ten posts, their authors and their terms on every call; through EF Core's
/// <c>Contains</c> over an id list each of these cost 150–450 µs of CPU, most of it building the statement again for
/// the list (measured with <c>bench -- mcp --phases</c>, docs/performance.md), against a fifth of that here. The
/// columns are the mapping's (<see cref="PostMapping"/>); PostRowsTests checks every property against EF Core on both
/// providers, so a column added to the entity but not here fails a test.
/// </summary>
internal static class PostRows
{
    private const string PostColumns = "site_id, id, type, status, title, content, excerpt, slug, author_id, date_utc, modified_utc, parent_id, "
        + "menu_order, sticky, comment_status, ping_status, format, password, mime_type, guid, comment_count";

    /// <summary>The site's posts with these ids, in the order of <paramref name="ids"/> (ids not found are left out).</summary>
    public static async Task<List<Post>> ByIdsAsync(PressDbContext db, long siteId, IReadOnlyList<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var found = new Dictionary<long, Post>(ids.Count);
        await ReadAsync(db, sql => sql.Append("SELECT " + PostColumns + " FROM posts WHERE site_id = ").Value(siteId).Append(" AND id IN ").List(ids.Distinct()), r =>
        {
            var post = new Post
            {
                SiteId = r.GetInt64(0), Id = r.GetInt64(1), Type = r.GetString(2), Status = r.GetString(3), Title = r.GetString(4),
                Content = r.GetString(5), Excerpt = r.GetString(6), Slug = r.GetString(7), AuthorId = NullableInt64(r, 8),
                DateUtc = Utc(r.GetDateTime(9)), ModifiedUtc = Utc(r.GetDateTime(10)), ParentId = NullableInt64(r, 11), MenuOrder = r.GetInt32(12),
                Sticky = r.GetBoolean(13), CommentStatus = r.GetString(14), PingStatus = r.GetString(15), Format = r.GetString(16),
                Password = r.GetString(17), MimeType = r.IsDBNull(18) ? null : r.GetString(18), Guid = r.GetString(19), CommentCount = r.GetInt64(20),
            };
            found[post.Id] = post;
        }, ct);
        var posts = new List<Post>(found.Count);
        foreach (var id in ids)
            if (found.Remove(id, out var post)) posts.Add(post);
        return posts;
    }

    /// <summary>Display names of these users by id: the display name, or the login until the user sets one (as WordPress shows).</summary>
    public static async Task<Dictionary<long, string>> AuthorNamesAsync(PressDbContext db, IReadOnlyCollection<long> userIds, CancellationToken ct)
    {
        var names = new Dictionary<long, string>(userIds.Count);
        if (userIds.Count == 0) return names;
        await ReadAsync(db, sql => sql.Append("SELECT id, display_name, user_name FROM users WHERE id IN ").List(userIds), r =>
        {
            var display = r.GetString(1);
            names[r.GetInt64(0)] = display.Trim().Length > 0 ? display : r.IsDBNull(2) ? "" : r.GetString(2);
        }, ct);
        return names;
    }

    /// <summary>The terms of these posts, as (post id, term) pairs.</summary>
    public static async Task<List<(long PostId, Term Term)>> TermsOfAsync(PressDbContext db, long siteId, IReadOnlyCollection<long> postIds, CancellationToken ct)
    {
        var rows = new List<(long, Term)>();
        if (postIds.Count == 0) return rows;
        await ReadAsync(db, sql => sql.Append("SELECT pt.post_id, t.site_id, t.id, t.taxonomy, t.name, t.slug, t.description, t.parent_id FROM post_terms pt")
            .Append(" JOIN terms t ON t.site_id = pt.site_id AND t.id = pt.term_id WHERE pt.site_id = ").Value(siteId).Append(" AND pt.post_id IN ").List(postIds), r =>
        {
            rows.Add((r.GetInt64(0), new Term
            {
                SiteId = r.GetInt64(1), Id = r.GetInt64(2), Taxonomy = r.GetString(3), Name = r.GetString(4), Slug = r.GetString(5),
                Description = r.GetString(6), ParentId = NullableInt64(r, 7),
            }));
        }, ct);
        return rows;
    }

    /// <summary>Runs one statement on the context's connection (opening it if EF Core has not) and hands each row to <paramref name="row"/>.</summary>
    private static async Task ReadAsync(PressDbContext db, Action<SearchCommand> build, Action<DbDataReader> row, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var sql = new SearchCommand(command);
            build(sql);
            await using var reader = await sql.Build().ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) row(reader);
        }
        finally
        {
            if (opened) await db.Database.CloseConnectionAsync();
        }
    }

    private static long? NullableInt64(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    /// <summary>Every DateTime is UTC (the context's convention); SQLite hands them back without a kind.</summary>
    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
