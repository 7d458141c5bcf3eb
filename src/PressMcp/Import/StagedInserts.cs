using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using PressMcp.Content;
using PressMcp.Media;
using PressMcp.Sites;
using PressMcp.Storage;

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
/// </summary>
internal sealed class StagedInserts : IAsyncDisposable
{
    /// <summary>The name the staging file is attached under, as <see cref="StagedRules"/> takes it.</summary>
    private const string Schema = "staging.";

    private readonly PressDbContext _db;
    private readonly SqliteConnection _connection;
    private SqliteTransaction? _transaction;

    private StagedInserts(PressDbContext db, SqliteConnection connection) => (_db, _connection) = (db, connection);

    /// <summary>Attaches the staging file to the context's connection, kept open until disposal. Null on PostgreSQL.</summary>
    public static async Task<StagedInserts?> AttachAsync(PressDbContext db, WxrStaging staging, CancellationToken ct)
    {
        if (db.Database.GetDbConnection() is not SqliteConnection connection) return null;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var attach = new SqliteCommand("ATTACH DATABASE $path AS staging", connection);
            attach.Parameters.AddWithValue("$path", staging.Path);
            await attach.ExecuteNonQueryAsync(ct);
            // The connection maps its databases into memory (SqlitePragmas), and an attached file inherits that: reading
            // the whole staging file through a map would count every page of it in the process's memory.
            await using var unmapped = new SqliteCommand("PRAGMA staging.mmap_size=0", connection);
            await unmapped.ExecuteNonQueryAsync(ct);
        }
        catch
        {
            await db.Database.CloseConnectionAsync();
            throw;
        }
        return new StagedInserts(db, connection);
    }

    /// <summary>The import's transaction: holds the main database's write lock from the start, not the staging file's.</summary>
    public async Task<IDbContextTransaction> BeginTransactionAsync(CancellationToken ct)
    {
        _transaction = _connection.BeginTransaction(deferred: true);
        var transaction = await _db.Database.UseTransactionAsync(_transaction, ct) ?? throw new InvalidOperationException("EF Core did not take the transaction.");
        // A write statement takes the write lock of its database only; this one changes nothing.
        await RunAsync("DELETE FROM main.posts_fts_deferred WHERE 0", [], ct);
        return transaction;
    }

    /// <summary>
    /// Inserts every new post, page and attachment with its import key, terms, custom fields and media record, then every
    /// new comment with its import key. Returns the posts whose comment counts must be recounted: those that gained a
    /// comment but were not inserted with their count (a post imported before, or a new post with comments that were not new).
    /// </summary>
    public async Task<List<long>> InsertAsync(Site site, ImportContext context, CancellationToken ct)
    {
        var phases = context.Report.Phases;
        var report = context.Report;
        using (phases.Time("insert posts"))
        {
            foreach (var (type, count) in await RowsAsync("SELECT i.type, count(*) FROM staging.items i JOIN staging.item_ids n ON n.seq = i.seq WHERE n.is_new = 1 GROUP BY i.type",
                [], r => (r.GetString(0), r.GetInt32(1)), ct))
            {
                report.Created(PostImport.KindOf(type), count);
            }
            // Ids were numbered in file order, so ORDER BY seq appends to the primary key. A post without its comment
            // count at insert gets 0 and is recounted at the end.
            await RunAsync($"""
                INSERT INTO main.posts (site_id, id, type, status, title, content, excerpt, slug, author_id, date_utc, modified_utc, parent_id,
                    menu_order, sticky, comment_status, ping_status, format, password, mime_type, guid, comment_count)
                SELECT $site, n.local_id, i.type, i.status, i.title, i.content, i.excerpt, n.slug, n.author_id, i.date_utc, i.modified_utc,
                    {StagedRules.ItemParent(Schema)}, i.menu_order, i.sticky, i.comment_status, i.ping_status, i.format, i.password, n.mime_type, i.guid,
                    coalesce({StagedRules.CommentCountAtInsert(Schema)}, 0)
                FROM staging.items i JOIN staging.item_ids n ON n.seq = i.seq
                WHERE n.is_new = 1 ORDER BY i.seq
                """, [("$site", site.Id), ("$approved", CommentStatuses.Approved)], ct);
        }
        using (phases.Time("insert import keys"))
        {
            await RunAsync("""
                INSERT INTO main.import_keys (site_id, kind, source_key, local_id)
                SELECT $site, $kind, i.source_key, n.local_id FROM staging.items i JOIN staging.item_ids n ON n.seq = i.seq WHERE n.is_new = 1
                """, [("$site", site.Id), ("$kind", ImportKinds.Post)], ct);
        }
        using (phases.Time("insert post terms"))
        {
            // A term an item names twice is one row; terms the site does not import (other taxonomies) have no local id.
            await RunAsync("""
                INSERT INTO main.post_terms (site_id, post_id, term_id)
                SELECT DISTINCT $site, n.local_id, t.term_id FROM staging.item_terms it
                    JOIN staging.item_ids n ON n.seq = it.item_seq
                    JOIN staging.local_terms t ON t.taxonomy = it.taxonomy AND t.slug = it.slug
                WHERE n.is_new = 1 ORDER BY n.local_id, t.term_id
                """, [("$site", site.Id)], ct);
        }
        using (phases.Time("insert custom fields"))
        {
            var meta = await RunAsync("""
                INSERT INTO main.post_meta (site_id, post_id, key, value)
                SELECT $site, n.local_id, m.key, m.value FROM staging.item_meta m JOIN staging.item_ids n ON n.seq = m.item_seq
                WHERE n.is_new = 1 ORDER BY m.item_seq, m.ord
                """, [("$site", site.Id)], ct);
            report.Created(ImportKind.Meta, meta);
        }
        using (phases.Time("insert media records"))
        {
            var attachments = await RowsAsync("""
                SELECT n.local_id, i.attachment_url, i.guid,
                    (SELECT m.value FROM staging.item_meta m WHERE m.item_seq = i.seq AND m.key = $alt ORDER BY m.ord DESC LIMIT 1)
                FROM staging.items i JOIN staging.item_ids n ON n.seq = i.seq WHERE n.is_new = 1 AND i.type = $attachment ORDER BY i.seq
                """, [("$alt", PostImport.AltTextKey), ("$attachment", PostTypes.Attachment)],
                r => (PostId: r.GetInt64(0), Media: PostImport.MediaOf(r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3))), ct);
            foreach (var (postId, (url, name, alt)) in attachments)
                await context.Rows.MediaAsync(new MediaFile { SiteId = site.Id, PostId = postId, SourceUrl = url, FileName = name, AltText = alt }, ct);
        }
        using (phases.Time("insert comments"))
        {
            // The user a comment names by its id in the exporting site, when that author is known here.
            var comments = await RunAsync($"""
                INSERT INTO main.comments (site_id, id, post_id, parent_id, author_name, author_email, author_url, author_ip, user_id, date_utc,
                    content, status, type)
                SELECT $site, cn.local_id, n.local_id, {StagedRules.CommentParent(Schema)}, c.author_name, c.author_email, c.author_url, c.author_ip, u.user_id, c.date_utc, c.content, c.status, c.type
                FROM staging.comments c JOIN staging.comment_ids cn ON cn.seq = c.seq JOIN staging.item_ids n ON n.seq = c.item_seq
                    LEFT JOIN staging.local_users u ON u.source_id = c.user_source_id
                WHERE cn.is_new = 1 ORDER BY c.seq
                """, [("$site", site.Id)], ct);
            report.Created(ImportKind.Comments, comments);
            await RunAsync("""
                INSERT INTO main.import_keys (site_id, kind, source_key, local_id)
                SELECT $site, $kind, c.source_key, cn.local_id FROM staging.comments c JOIN staging.comment_ids cn ON cn.seq = c.seq WHERE cn.is_new = 1
                """, [("$site", site.Id), ("$kind", ImportKinds.Comment)], ct);
        }
        // Item by item, not comment by comment: the rule reads the item's comments, so asked once per comment it read every
        // comment of a post once for each of them (25,000 comments on one post: a minute).
        return await RowsAsync($"""
            SELECT n.local_id FROM staging.items i JOIN staging.item_ids n ON n.seq = i.seq
            WHERE EXISTS (SELECT 1 FROM staging.comments c JOIN staging.comment_ids cn ON cn.seq = c.seq WHERE c.item_seq = i.seq AND cn.is_new = 1)
                AND NOT {StagedRules.CommentCountKnown(Schema)}
            """, [], r => r.GetInt64(0), ct);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Rolls back unless committed; SQLite refuses to detach a file a transaction is using.
            _transaction?.Dispose();
            await using var detach = new SqliteCommand("DETACH DATABASE staging", _connection);
            await detach.ExecuteNonQueryAsync();
        }
        catch (SqliteException)
        {
            // Never hand a connection with the staging file still attached to the next user of the pool.
            SqliteConnection.ClearPool(_connection);
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Runs one of this class's statements (literals; values bound) in the import's transaction; returns the rows it changed.</summary>
    private async Task<int> RunAsync(string sql, (string Name, object Value)[] parameters, CancellationToken ct)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<List<T>> RowsAsync<T>(string sql, (string Name, object Value)[] parameters, Func<SqliteDataReader, T> read, CancellationToken ct)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct)) rows.Add(read(reader));
        return rows;
    }

    private SqliteCommand Command(string sql, (string Name, object Value)[] parameters)
    {
#pragma warning disable CA2100 // The statements are this class's literals; values are parameters.
        var command = new SqliteCommand(sql, _connection, _transaction);
#pragma warning restore CA2100
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }
}
