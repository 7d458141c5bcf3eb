using PressMcp.Content;
using PressMcp.Media;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Import;

/// <summary>
/// The rows an import creates row by row, with prepared INSERTs on the import's transaction (<see cref="BulkInsert{T}"/>, the model's columns):
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
    private readonly BulkInsert<Post> _posts;
    private readonly BulkInsert<PostTerm> _terms;
    private readonly BulkInsert<PostMeta> _meta;
    private readonly BulkInsert<Comment> _comments;
    private readonly BulkInsert<ImportKey> _keys;
    private readonly BulkInsert<MediaFile> _media;

    private const int BatchRows = 100;

    private readonly ImportPhases _phases;

    public ImportRows(PressDbContext db, DbTransactionInfo transaction, ImportPhases phases)
    {
        _phases = phases;
        _posts = new BulkInsert<Post>(transaction, EntityTable<Post>.Of(db), BatchRows);
        _terms = new BulkInsert<PostTerm>(transaction, EntityTable<PostTerm>.Of(db), BatchRows);
        _meta = new BulkInsert<PostMeta>(transaction, EntityTable<PostMeta>.Of(db), BatchRows);
        _comments = new BulkInsert<Comment>(transaction, EntityTable<Comment>.Of(db), BatchRows);
        _keys = new BulkInsert<ImportKey>(transaction, EntityTable<ImportKey>.Of(db), BatchRows);
        _media = new BulkInsert<MediaFile>(transaction, EntityTable<MediaFile>.Of(db), BatchRows);
    }

    /// <summary>A new post, with its comment count when known (<see cref="StagedRules.CommentCountAtInsert"/>), otherwise 0 and recounted once its comments are in.</summary>
    public Task PostAsync(Post p, CancellationToken ct) => Timed("insert posts", () => _posts.AddAsync(p, ct));

    public Task PostTermAsync(long siteId, long postId, long termId, CancellationToken ct) =>
        Timed("insert post terms", () => AfterPostsAsync(_terms, new PostTerm { SiteId = siteId, PostId = postId, TermId = termId }, ct));

    public Task MetaAsync(long siteId, long postId, string key, string value, CancellationToken ct) =>
        Timed("insert custom fields", () => AfterPostsAsync(_meta, new PostMeta { SiteId = siteId, PostId = postId, Key = key, Value = value }, ct));

    public Task CommentAsync(Comment c, CancellationToken ct) => Timed("insert comments", () => AfterPostsAsync(_comments, c, ct));

    public Task KeyAsync(long siteId, string kind, string sourceKey, long localId, CancellationToken ct) =>
        Timed("insert import keys", () => _keys.AddAsync(new ImportKey { SiteId = siteId, Kind = kind, SourceKey = sourceKey, LocalId = localId }, ct));

    /// <summary>An imported attachment's record: where the file is; nothing stored here, so no path, size or hash.</summary>
    public Task MediaAsync(MediaFile m, CancellationToken ct) => Timed("insert media records", () => AfterPostsAsync(_media, m, ct));

    /// <summary>Writes every row still waiting, posts first (PostgreSQL; SQLite wrote them already).</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        using (_phases.Time("insert: write the last batches"))
        {
            await _posts.FlushAsync(ct);
            await _keys.FlushAsync(ct);
            await _terms.FlushAsync(ct);
            await _media.FlushAsync(ct);
            await _meta.FlushAsync(ct);
            await _comments.FlushAsync(ct);
        }
    }

    /// <summary>A row that names a post: when it completes its batch, the posts' batch is written first.</summary>
    private async Task AfterPostsAsync<T>(BulkInsert<T> insert, T row, CancellationToken ct) where T : class
    {
        if (insert.WritesOnNextAdd) await _posts.FlushAsync(ct);
        await insert.AddAsync(row, ct);
    }

    private async Task Timed(string phase, Func<Task> insert)
    {
        using (_phases.Time(phase)) await insert();
    }

    public async ValueTask DisposeAsync()
    {
        await _posts.DisposeAsync();
        await _terms.DisposeAsync();
        await _meta.DisposeAsync();
        await _comments.DisposeAsync();
        await _keys.DisposeAsync();
        await _media.DisposeAsync();
    }
}
