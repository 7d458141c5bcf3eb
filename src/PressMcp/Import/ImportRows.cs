using System.Data.Common;
using PressMcp.Content;
using PressMcp.Media;
using PressMcp.Storage;

namespace PressMcp.Import;

/// <summary>
/// The rows an import creates row by row, with prepared INSERTs on the import's transaction (<see cref="BulkInsert"/>):
/// on PostgreSQL every new row (SQLite inserts its new rows set by set, <see cref="StagedInserts"/>, and uses this for
/// media records only). EF change tracking costs more than the inserts themselves at 100,000 posts. Updates of rows an
/// earlier import created stay with EF (they are compared field by field and are few).
/// <para>
/// On PostgreSQL rows go in batches of <see cref="BatchRows"/> (a multi-row VALUES, one round trip), so a batch must
/// never name a post that is still waiting in the posts' batch (foreign keys are checked per statement): before a batch
/// of rows that refer to posts is written, the posts' batch is; <see cref="FlushAsync"/> writes what is left, posts
/// first, and the importer awaits it at the end of each of its batches, before anything reads or commits. Nothing the
/// import reads in between is a row it inserted (planning decided slugs and ids before the first write).
/// </para>
/// </summary>
internal sealed class ImportRows : IAsyncDisposable
{
    private readonly BulkInsert _posts;
    private readonly BulkInsert _terms;
    private readonly BulkInsert _meta;
    private readonly BulkInsert _comments;
    private readonly BulkInsert _keys;
    private readonly BulkInsert _media;

    private const int BatchRows = 100;

    private readonly ImportPhases _phases;
    private readonly DbConnection _connection;

    public ImportRows(DbConnection connection, DbTransaction transaction, ImportPhases phases)
    {
        _phases = phases;
        _connection = connection;
        _posts = new BulkInsert(connection, transaction, "posts", BatchRows, ["site_id", "id", "type", "status", "title", "content", "excerpt", "slug", "author_id",
            "date_utc", "modified_utc", "parent_id", "menu_order", "sticky", "comment_status", "ping_status", "format", "password", "mime_type", "guid", "comment_count",
            .. Content.Search.SearchText.Columns(connection)]);
        _terms = new BulkInsert(connection, transaction, "post_terms", BatchRows, "site_id", "post_id", "term_id");
        _meta = new BulkInsert(connection, transaction, "post_meta", BatchRows, "site_id", "post_id", "key", "value");
        _comments = new BulkInsert(connection, transaction, "comments", BatchRows, "site_id", "id", "post_id", "parent_id", "author_name", "author_email",
            "author_url", "author_ip", "user_id", "date_utc", "content", "status", "type");
        _keys = new BulkInsert(connection, transaction, "import_keys", BatchRows, "site_id", "kind", "source_key", "local_id");
        _media = new BulkInsert(connection, transaction, "media_files", BatchRows, "site_id", "post_id", "source_url", "file_name", "size_bytes", "alt_text");
    }

    /// <summary>A new post, with its comment count when known (<see cref="StagedRules.CommentCountAtInsert"/>), otherwise 0 and recounted once its comments are in.</summary>
    public Task PostAsync(Post p, CancellationToken ct) =>
        Timed("insert posts", () => _posts.AddAsync(ct, [p.SiteId, p.Id, p.Type, p.Status, p.Title, p.Content, p.Excerpt, p.Slug, p.AuthorId, p.DateUtc, p.ModifiedUtc,
            p.ParentId, p.MenuOrder, p.Sticky, p.CommentStatus, p.PingStatus, p.Format, p.Password, p.MimeType, p.Guid, p.CommentCount,
            .. Content.Search.SearchText.Values(_connection, p.Excerpt, p.Content)]));

    public Task PostTermAsync(long siteId, long postId, long termId, CancellationToken ct) => Timed("insert post terms", () => AfterPostsAsync(_terms, ct, siteId, postId, termId));

    public Task MetaAsync(long siteId, long postId, string key, string value, CancellationToken ct) => Timed("insert custom fields", () => AfterPostsAsync(_meta, ct, siteId, postId, key, value));

    public Task CommentAsync(Comment c, CancellationToken ct) =>
        Timed("insert comments", () => AfterPostsAsync(_comments, ct, c.SiteId, c.Id, c.PostId, c.ParentId, c.AuthorName, c.AuthorEmail, c.AuthorUrl, c.AuthorIp, c.UserId, c.DateUtc,
            c.Content, c.Status, c.Type));

    public Task KeyAsync(long siteId, string kind, string sourceKey, long localId, CancellationToken ct) => Timed("insert import keys", () => _keys.AddAsync(ct, siteId, kind, sourceKey, localId));

    /// <summary>An imported attachment's record: where the file is; nothing stored here, so no path, size or hash.</summary>
    public Task MediaAsync(MediaFile m, CancellationToken ct) =>
        Timed("insert media records", () => AfterPostsAsync(_media, ct, m.SiteId, m.PostId, m.SourceUrl, m.FileName, m.SizeBytes, m.AltText));

    /// <summary>Writes every row still waiting, posts first (PostgreSQL; SQLite wrote them already).</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        using (_phases.Time("insert: write the last batches"))
        {
            foreach (var insert in new[] { _posts, _keys, _terms, _media, _meta, _comments }) await insert.FlushAsync(ct);
        }
    }

    /// <summary>A row that names a post: when it completes its batch, the posts' batch is written first.</summary>
    private async Task AfterPostsAsync(BulkInsert insert, CancellationToken ct, params object?[] values)
    {
        if (insert.WritesOnNextAdd) await _posts.FlushAsync(ct);
        await insert.AddAsync(ct, values);
    }

    private async Task Timed(string phase, Func<Task> insert)
    {
        using (_phases.Time(phase)) await insert();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var insert in new[] { _posts, _terms, _meta, _comments, _keys, _media }) await insert.DisposeAsync();
    }
}
