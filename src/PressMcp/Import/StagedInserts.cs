using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using PressMcp.Content;
using PressMcp.Content.Search;
using PressMcp.Media;
using PressMcp.Sites;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Import;

/// <summary>
/// The rows an import creates, on SQLite: each table's new rows in one INSERT … SELECT from the staging file, which is
/// attached to the import's connection. Row by row from .NET (<see cref="ImportRows"/>), every post's text was read back
/// from staging, bound to a statement and copied again: 13 s of a 100,000-post import, against 4 s for the same rows
/// copied inside SQLite. What needs .NET (slugs, authors, media types) was decided by <see cref="ImportPlanner"/> and
/// staged beside the items; rows imported before are still compared and updated in batches by the other importers.
/// <para>
/// The staging file is attached before the transaction begins (SQLite refuses ATTACH inside one), and the transaction
/// is deferred with an immediate write to the main database: BEGIN IMMEDIATE would also lock the attached file, and
/// planning still writes to it on its own connection. The file is detached when this is disposed, before the staging
/// is deleted; a connection that cannot detach it is not returned to the pool.
/// </para>
/// <para>
/// The columns written are the model's (<see cref="EntityTable{T}"/>); each statement says where every column's value
/// comes from, by property, and refuses to run when a column of the model has no source (StagedInsertsTests builds them all).
/// </para>
/// </summary>
internal sealed class StagedInserts : IAsyncDisposable
{
    /// <summary>The name the staging file is attached under, as <see cref="StagedRules"/> takes it.</summary>
    private const string Schema = "staging.";

    private readonly PressDbContext _db;
    private readonly ContextConnection _opened;
    private readonly SqliteConnection _connection;
    private SqliteTransaction? _transaction;

    private StagedInserts(PressDbContext db, ContextConnection opened) =>
        (_db, _opened, _connection) = (db, opened, (SqliteConnection)opened.Connection);

    /// <summary>Attaches the staging file to the context's connection, kept open until disposal. Null on PostgreSQL.</summary>
    public static async Task<StagedInserts?> AttachAsync(PressDbContext db, WxrStaging staging, CancellationToken ct)
    {
        if (!db.Database.IsSqlite()) return null;
        // Open until disposal, so every batch's transaction is on the connection the file is attached to.
        var opened = await ContextConnection.OpenAsync(db, ct);
        try
        {
            await using var attach = opened.Command("ATTACH DATABASE $path AS staging");
            attach.AddParameter("$path", staging.Path);
            await attach.ExecuteNonQueryAsync(ct);
            // An attached file inherits the connection's memory map (Storage/Sql/SqliteConnectionSetup, none today): reading the
            // whole staging file through a map would count every page of it in the process's memory, whatever the default becomes.
            await using var unmapped = opened.Command("PRAGMA staging.mmap_size=0");
            await unmapped.ExecuteNonQueryAsync(ct);
        }
        catch
        {
            await opened.DisposeAsync();
            throw;
        }
        return new StagedInserts(db, opened);
    }

    /// <summary>A transaction of the import: holds the main database's write lock from the start, not the staging file's.</summary>
    public async Task<IDbContextTransaction> BeginTransactionAsync(CancellationToken ct)
    {
        EndTransaction();
        _transaction = _connection.BeginTransaction(deferred: true);
        var transaction = await _db.Database.UseTransactionAsync(_transaction, ct) ?? throw new InvalidOperationException("EF Core did not take the transaction.");
        // A write statement takes the write lock of its database only; this one changes nothing.
        await RunAsync("DELETE FROM main.posts_fts_deferred WHERE 0", [], ct);
        return transaction;
    }

    /// <summary>Ends the current transaction: rolls it back unless it was committed (EF Core does not own it, so does not dispose it).</summary>
    public void EndTransaction()
    {
        _transaction?.Dispose();
        _transaction = null;
    }

    /// <summary>
    /// The next <paramref name="limit"/> new items (or comments) after seq <paramref name="afterSeq"/>, as a range of seqs
    /// (null when none are left). Read on the import's connection, from the attached file, outside any transaction.
    /// </summary>
    public async Task<SeqRange?> NextNewAsync(StagedTable table, long afterSeq, int limit, CancellationToken ct)
    {
        var sql = table == StagedTable.Items
            ? "SELECT max(seq), count(*) FROM (SELECT seq FROM staging.item_ids WHERE seq > $after AND is_new = 1 ORDER BY seq LIMIT $limit)"
            : "SELECT max(seq), count(*) FROM (SELECT seq FROM staging.comment_ids WHERE seq > $after AND is_new = 1 ORDER BY seq LIMIT $limit)";
        var (last, count) = (await RowsAsync(sql, [("$after", afterSeq), ("$limit", limit)], r => (r.IsDBNull(0) ? 0 : r.GetInt64(0), r.GetInt32(1)), ct))[0];
        return count == 0 ? null : new SeqRange(afterSeq, last, count);
    }

    /// <summary>
    /// The local ids of a range's new items: consecutive, as planning numbered new items in file order
    /// (<see cref="WxrStaging.AssignNewIds"/>), so the search index can defer them as one block.
    /// </summary>
    public async Task<IdBlock> NewIdsAsync(SeqRange range, CancellationToken ct) =>
        (await RowsAsync("SELECT min(local_id), max(local_id) FROM staging.item_ids WHERE seq > $after AND seq <= $last AND is_new = 1",
            range.Parameters, r => new IdBlock(r.GetInt64(0), r.GetInt64(1)), ct))[0];

    /// <summary>
    /// Inserts the range's new posts, pages and attachments with their import keys, terms, custom fields and media records,
    /// in the current transaction. A post whose comments are all new gets its comment count now (its comments follow in
    /// later batches); the others get 0 and are recounted as their comments come in.
    /// </summary>
    public async Task InsertItemsAsync(Site site, SeqRange range, ImportContext context, CancellationToken ct)
    {
        var phases = context.Report.Phases;
        var report = context.Report;
        (string, object)[] parameters = [.. range.Parameters, ("$site", site.Id)];
        using (phases.Time("insert posts"))
        {
            foreach (var (type, count) in await RowsAsync("""
                SELECT i.type, count(*) FROM staging.items i JOIN staging.item_ids n ON n.seq = i.seq
                WHERE n.is_new = 1 AND i.seq > $after AND i.seq <= $last GROUP BY i.type
                """, range.Parameters, r => (r.GetString(0), r.GetInt32(1)), ct))
            {
                report.Created(PostImport.KindOf(type), count);
            }
            // Ids were numbered in file order, so ORDER BY seq appends to the primary key.
            await RunAsync($"""
                {InsertPosts(_db)}
                FROM staging.items i JOIN staging.item_ids n ON n.seq = i.seq
                WHERE n.is_new = 1 AND i.seq > $after AND i.seq <= $last ORDER BY i.seq
                """, parameters, ct);
        }
        using (phases.Time("insert import keys"))
        {
            await RunAsync($"""
                {InsertKeys(_db, "i.source_key", "n.local_id")} FROM staging.items i JOIN staging.item_ids n ON n.seq = i.seq
                WHERE n.is_new = 1 AND i.seq > $after AND i.seq <= $last
                """, [.. parameters, ("$kind", ImportKinds.Post)], ct);
        }
        using (phases.Time("insert post terms"))
        {
            // A term an item names twice is one row; terms the site does not import (other taxonomies) have no local id.
            await RunAsync($"""
                {InsertPostTerms(_db)} FROM staging.item_terms it
                    JOIN staging.item_ids n ON n.seq = it.item_seq
                    JOIN staging.local_terms t ON t.taxonomy = it.taxonomy AND t.slug = it.slug
                WHERE n.is_new = 1 AND it.item_seq > $after AND it.item_seq <= $last ORDER BY n.local_id, t.term_id
                """, parameters, ct);
        }
        using (phases.Time("insert custom fields"))
        {
            var meta = await RunAsync($"""
                {InsertMeta(_db)} FROM staging.item_meta m JOIN staging.item_ids n ON n.seq = m.item_seq
                WHERE n.is_new = 1 AND m.item_seq > $after AND m.item_seq <= $last ORDER BY m.item_seq, m.ord
                """, parameters, ct);
            report.Created(ImportKind.Meta, meta);
        }
        using (phases.Time("insert media records"))
        {
            var attachments = await RowsAsync("""
                SELECT n.local_id, i.attachment_url, i.guid,
                    (SELECT m.value FROM staging.item_meta m WHERE m.item_seq = i.seq AND m.key = $alt ORDER BY m.ord DESC LIMIT 1)
                FROM staging.items i JOIN staging.item_ids n ON n.seq = i.seq
                WHERE n.is_new = 1 AND i.type = $attachment AND i.seq > $after AND i.seq <= $last ORDER BY i.seq
                """, [.. range.Parameters, ("$alt", PostImport.AltTextKey), ("$attachment", PostTypes.Attachment)],
                r => (PostId: r.GetInt64(0), Media: PostImport.MediaOf(r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3))), ct);
            foreach (var (postId, (url, name, alt)) in attachments)
                await context.Rows.MediaAsync(new MediaFile { SiteId = site.Id, PostId = postId, SourceUrl = url, FileName = name, AltText = alt }, ct);
        }
    }

    /// <summary>
    /// Inserts the range's new comments with their import keys, in the current transaction. Returns the posts whose comment
    /// counts must be recounted in the same transaction: those that gained a comment but were not inserted with their count
    /// (a post imported before, or a new post with comments that were not new).
    /// </summary>
    /// <summary>
    /// The comment's post is still there: live writes get in between batches, and one may have deleted a post this import
    /// wrote or found. Its comments are left out (a later import of the file brings the post back with them).
    /// </summary>
    private const string PostAlive = "EXISTS (SELECT 1 FROM main.posts p WHERE p.site_id = $site AND p.id = n.local_id)";

    public async Task<List<long>> InsertCommentsAsync(Site site, SeqRange range, ImportContext context, CancellationToken ct)
    {
        var phases = context.Report.Phases;
        (string, object)[] parameters = [.. range.Parameters, ("$site", site.Id)];
        using (phases.Time("insert comments"))
        {
            // The user a comment names by its id in the exporting site, when that author is known here.
            var comments = await RunAsync($"""
                {InsertComments(_db)}
                FROM staging.comments c JOIN staging.comment_ids cn ON cn.seq = c.seq JOIN staging.item_ids n ON n.seq = c.item_seq
                    LEFT JOIN staging.local_users u ON u.source_id = c.user_source_id
                WHERE cn.is_new = 1 AND c.seq > $after AND c.seq <= $last AND {PostAlive} ORDER BY c.seq
                """, parameters, ct);
            context.Report.Created(ImportKind.Comments, comments);
            await RunAsync($"""
                {InsertKeys(_db, "c.source_key", "cn.local_id")} FROM staging.comments c JOIN staging.comment_ids cn ON cn.seq = c.seq
                    JOIN staging.item_ids n ON n.seq = c.item_seq
                WHERE cn.is_new = 1 AND c.seq > $after AND c.seq <= $last AND {PostAlive}
                """, [.. parameters, ("$kind", ImportKinds.Comment)], ct);
        }
        // Item by item, not comment by comment: the rule reads the item's comments, so asked once per comment it read every
        // comment of a post once for each of them (25,000 comments on one post: a minute).
        return await RowsAsync($"""
            SELECT n.local_id FROM staging.items i JOIN staging.item_ids n ON n.seq = i.seq
            WHERE i.seq IN (SELECT c.item_seq FROM staging.comments c JOIN staging.comment_ids cn ON cn.seq = c.seq
                    WHERE cn.is_new = 1 AND c.seq > $after AND c.seq <= $last)
                AND NOT {StagedRules.CommentCountKnown}
            """, range.Parameters, r => r.GetInt64(0), ct);
    }

    /// <summary>The new posts' columns, from the staged item (<c>i</c>) and what planning decided for it (<c>n</c>).</summary>
    internal static string InsertPosts(PressDbContext db) => EntityTable<Post>.Of(db).InsertSelect("main.", new Dictionary<string, string>(SearchTextSources(db))
    {
        [nameof(Post.SiteId)] = "$site",
        [nameof(Post.Id)] = "n.local_id",
        [nameof(Post.Type)] = "i.type",
        [nameof(Post.Status)] = "i.status",
        [nameof(Post.Title)] = "i.title",
        [nameof(Post.Content)] = "i.content",
        [nameof(Post.Excerpt)] = "i.excerpt",
        [nameof(Post.Slug)] = "n.slug",
        [nameof(Post.AuthorId)] = "n.author_id",
        [nameof(Post.DateUtc)] = "i.date_utc",
        [nameof(Post.ModifiedUtc)] = "i.modified_utc",
        [nameof(Post.ParentId)] = StagedRules.ItemParent(Schema),
        [nameof(Post.MenuOrder)] = "i.menu_order",
        [nameof(Post.Sticky)] = "i.sticky",
        [nameof(Post.CommentStatus)] = "i.comment_status",
        [nameof(Post.PingStatus)] = "i.ping_status",
        [nameof(Post.Format)] = "i.format",
        [nameof(Post.Password)] = "i.password",
        [nameof(Post.MimeType)] = "n.mime_type",
        [nameof(Post.Guid)] = "i.guid",
        [nameof(Post.CommentCount)] = $"coalesce({StagedRules.CommentCountAtInsert}, 0)",
    });

    /// <summary>
    /// SQLite's stored search text of the new posts (<see cref="SearchText"/>), in the statement that inserts them. Only
    /// SQLite's model has these columns; the import's statements run only there, but are built on either model (tests).
    /// </summary>
    private static Dictionary<string, string> SearchTextSources(PressDbContext db) => db is SqlitePressDbContext
        ? new()
        {
            [SearchText.ExcerptTextProperty] = SearchText.OfSql("i.excerpt"),
            [SearchText.ContentTextProperty] = SearchText.OfSql("i.content"),
        }
        : [];

    /// <summary>Import keys of the kind <c>$kind</c>: the staged row's source key and its local id.</summary>
    internal static string InsertKeys(PressDbContext db, string sourceKey, string localId) => EntityTable<ImportKey>.Of(db).InsertSelect("main.", new Dictionary<string, string>
    {
        [nameof(ImportKey.SiteId)] = "$site",
        [nameof(ImportKey.Kind)] = "$kind",
        [nameof(ImportKey.SourceKey)] = sourceKey,
        [nameof(ImportKey.LocalId)] = localId,
    });

    /// <summary>A new item's terms (<c>it</c>) by their local ids (<c>t</c>); a term named twice is one row.</summary>
    internal static string InsertPostTerms(PressDbContext db) => EntityTable<PostTerm>.Of(db).InsertSelect("main.", new Dictionary<string, string>
    {
        [nameof(PostTerm.SiteId)] = "$site",
        [nameof(PostTerm.PostId)] = "n.local_id",
        [nameof(PostTerm.TermId)] = "t.term_id",
    }, distinct: true);

    /// <summary>A new item's custom fields (<c>m</c>).</summary>
    internal static string InsertMeta(PressDbContext db) => EntityTable<PostMeta>.Of(db).InsertSelect("main.", new Dictionary<string, string>
    {
        [nameof(PostMeta.SiteId)] = "$site",
        [nameof(PostMeta.PostId)] = "n.local_id",
        [nameof(PostMeta.Key)] = "m.key",
        [nameof(PostMeta.Value)] = "m.value",
    });

    /// <summary>The new comments' columns, from the staged comment (<c>c</c>), its id (<c>cn</c>), its item (<c>n</c>) and its user (<c>u</c>).</summary>
    internal static string InsertComments(PressDbContext db) => EntityTable<Comment>.Of(db).InsertSelect("main.", new Dictionary<string, string>
    {
        [nameof(Comment.SiteId)] = "$site",
        [nameof(Comment.Id)] = "cn.local_id",
        [nameof(Comment.PostId)] = "n.local_id",
        [nameof(Comment.ParentId)] = StagedRules.CommentParent(Schema),
        [nameof(Comment.AuthorName)] = "c.author_name",
        [nameof(Comment.AuthorEmail)] = "c.author_email",
        [nameof(Comment.AuthorUrl)] = "c.author_url",
        [nameof(Comment.AuthorIp)] = "c.author_ip",
        [nameof(Comment.UserId)] = "u.user_id",
        [nameof(Comment.DateUtc)] = "c.date_utc",
        [nameof(Comment.Content)] = "c.content",
        [nameof(Comment.Status)] = "c.status",
        [nameof(Comment.Type)] = "c.type",
    });

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Rolls back unless committed; SQLite refuses to detach a file a transaction is using.
            EndTransaction();
            await using var detach = _opened.Command("DETACH DATABASE staging");
            await detach.ExecuteNonQueryAsync();
        }
        catch (SqliteException)
        {
            // Never hand a connection with the staging file still attached to the next user of the pool.
            SqliteConnection.ClearPool(_connection);
        }
        finally
        {
            await _opened.DisposeAsync();
        }
    }

    /// <summary>Runs one of this class's statements (literals; values bound) in the import's transaction; returns the rows it changed.</summary>
    private async Task<int> RunAsync(string sql, (string Name, object Value)[] parameters, CancellationToken ct)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<List<T>> RowsAsync<T>(string sql, (string Name, object Value)[] parameters, Func<DbDataReader, T> read, CancellationToken ct)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct)) rows.Add(read(reader));
        return rows;
    }

    /// <summary>A command in the import's current transaction (none between batches), as EF Core's own statements run.</summary>
    private DbCommand Command(string sql, (string Name, object Value)[] parameters)
    {
        var command = _opened.Command(sql);
        foreach (var (name, value) in parameters) command.AddParameter(name, value);
        return command;
    }
}

/// <summary>Staged rows by seq: after <see cref="After"/>, up to <see cref="Last"/> included; <see cref="Count"/> of them are new.</summary>
internal readonly record struct SeqRange(long After, long Last, int Count)
{
    public (string Name, object Value)[] Parameters => [("$after", After), ("$last", Last)];
}
