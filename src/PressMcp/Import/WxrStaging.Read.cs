using Microsoft.Data.Sqlite;
using PressMcp.Content;
using PressMcp.Storage.Sql;

namespace PressMcp.Import;

/// <summary>
/// An item read back from staging with the local ids pass 2 gave it and its parent, what <see cref="ImportPlanner"/>
/// decided for it, and its comment count when it can be inserted with it (<see cref="StagedRules.CommentCountAtInsert"/>).
/// </summary>
internal sealed record StagedItem(WxrItem Item, long Seq, long LocalId, bool IsNew, long? ParentLocalId, ItemPlan Plan, long? CommentCountAtInsert,
    IReadOnlyList<string> TermKeys, IReadOnlyList<StagedComment> Comments);

/// <summary>
/// What pass 2 resolves in SQL over the staging tables, written once for both of its readers: <see cref="WxrStaging.Items"/>
/// on the staging connection (<paramref name="schema"/> "") and <see cref="StagedInserts"/> on the import's connection,
/// where the file is attached ("staging."). Aliases: i for items, n for item_ids, c for comments, cn for comment_ids.
/// </summary>
internal static class StagedRules
{
    /// <summary>An item's parent: the first item of the file with that WXR id, never itself (a parent outside the file is dropped, as WordPress's importer does).</summary>
    /// <remarks>
    /// "Has a parent" is tested outside the look-up, never beside its equality: from <c>p.x = o.x AND o.x &gt; 0</c> SQLite
    /// infers <c>p.x &gt; 0</c> and may search the index by that range instead of the equality, reading every row of the
    /// range for each row: the comments of a post with 25,000 comments took a minute that way (see CommentParent).
    /// </remarks>
    public static string ItemParent(string schema) => $"""
        NULLIF(CASE WHEN i.parent_source_id > 0 THEN (SELECT pn.local_id FROM {schema}items p JOIN {schema}item_ids pn ON pn.seq = p.seq
                WHERE p.source_id = i.parent_source_id ORDER BY p.seq LIMIT 1) END, n.local_id)
        """;

    /// <summary>A comment's parent: the first comment of its item with that WXR id, never itself.</summary>
    /// <remarks>
    /// One index search per comment, by (item_seq, source_id). With the "has a parent" test inside the subquery SQLite
    /// searched by <c>item_seq = ? AND source_id &gt; 0</c>, every comment of the post for each comment: quadratic in the
    /// comments of one post (tested by WxrScaleTests).
    /// </remarks>
    public static string CommentParent(string schema) => $"""
        NULLIF(CASE WHEN c.parent_source_id > 0 THEN (SELECT pn.local_id FROM {schema}comments p JOIN {schema}comment_ids pn ON pn.seq = p.seq
                WHERE p.item_seq = c.item_seq AND p.source_id = c.parent_source_id ORDER BY p.seq LIMIT 1) END, cn.local_id)
        """;

    /// <summary>
    /// Whether a post's comment count is known before anything is written: the post is new and so are all its comments.
    /// Then it is inserted with its count instead of being recounted at the end (a statement per 500 posts that read every
    /// comment again: a second of a 100,000-post import). Decided once, after planning (<see cref="WxrStaging.RecordCommentCounts"/>):
    /// asked again for each batch of a post's comments, it read all of them each time (quadratic in one post's comments).
    /// </summary>
    public const string CommentCountKnown = "(n.comment_count IS NOT NULL)";

    /// <summary>That count (approved comments only) when it is known, otherwise null.</summary>
    public const string CommentCountAtInsert = "n.comment_count";
}

/// <summary>An item's slug (unique among the site's posts of its type), author and media type, as the post will have them.</summary>
internal sealed record ItemPlan(string Slug, long? AuthorId, string? MimeType);

/// <summary>What planning an item needs to know about it (<see cref="ImportPlanner"/>).</summary>
/// <param name="SlugSource">The title when the item has no slug and WordPress would give it one from its title (it is
/// published, scheduled or private; a draft or pending item keeps none until it is published); otherwise empty.</param>
internal readonly record struct PlanInput(long Seq, long LocalId, string Type, string Slug, string Creator, string AttachmentUrl, string SlugSource);

internal sealed record StagedComment(WxrComment Comment, string Key, long LocalId, bool IsNew, long? ParentLocalId);

/// <summary>A term as staged; <see cref="Declared"/> is false for one only named by an item's &lt;category&gt;.</summary>
internal sealed record StagedTerm(WxrTerm Term, bool Declared);

/// <summary>The row a staged item or comment is, by its import key; pass 2 fills in the local ids.</summary>
internal readonly record struct StagedKey(long Seq, string Key);

/// <summary>The staged rows that get local ids.</summary>
internal enum StagedTable
{
    Items,
    Comments,
}

internal sealed partial class WxrStaging
{
    public List<WxrAuthor> Authors() =>
        Rows(new SqliteCommand("SELECT login, email, display_name, source_id FROM authors ORDER BY login", _db), [],
            r => new WxrAuthor(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetInt64(3)));

    /// <summary>Every term of one taxonomy (terms are few next to items: they are held in memory).</summary>
    public List<StagedTerm> Terms(string taxonomy) =>
        Rows(new SqliteCommand("SELECT taxonomy, slug, name, description, parent_slug, declared FROM terms WHERE taxonomy = $t ORDER BY slug", _db),
            [("$t", taxonomy)],
            r => new StagedTerm(new WxrTerm(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)), r.GetBoolean(5)));

    public List<StagedKey> ItemKeys(long afterSeq, int limit) =>
        Rows(new SqliteCommand("SELECT seq, source_key FROM items WHERE seq > $after ORDER BY seq LIMIT $limit", _db), [("$after", afterSeq), ("$limit", limit)],
            r => new StagedKey(r.GetInt64(0), r.GetString(1)));

    public List<StagedKey> CommentKeys(long afterSeq, int limit) =>
        Rows(new SqliteCommand("SELECT seq, source_key FROM comments WHERE seq > $after ORDER BY seq LIMIT $limit", _db), [("$after", afterSeq), ("$limit", limit)],
            r => new StagedKey(r.GetInt64(0), r.GetString(1)));

    /// <summary>Records the local id an existing key maps to.</summary>
    public void SetLocalIds(StagedTable table, IEnumerable<(long Seq, long LocalId)> ids)
    {
        using var tx = _db.BeginTransaction();
        using var cmd = table == StagedTable.Items
            ? new SqliteCommand("INSERT INTO item_ids (seq, local_id, is_new) VALUES ($seq, $id, 0)", _db, tx)
            : new SqliteCommand("INSERT INTO comment_ids (seq, local_id, is_new) VALUES ($seq, $id, 0)", _db, tx);
        foreach (var (seq, id) in ids)
        {
            cmd.Parameters.Clear();
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$seq", seq);
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
    }

    public long CountUnassigned(StagedTable table) =>
        Rows(table == StagedTable.Items
            ? new SqliteCommand("SELECT (SELECT COUNT(*) FROM items) - (SELECT COUNT(*) FROM item_ids)", _db)
            : new SqliteCommand("SELECT (SELECT COUNT(*) FROM comments) - (SELECT COUNT(*) FROM comment_ids)", _db), [], r => r.GetInt64(0))[0];

    /// <summary>Numbers the rows without a local id from <paramref name="firstId"/> on, in file order.</summary>
    public void AssignNewIds(StagedTable table, long firstId)
    {
        using var cmd = table == StagedTable.Items
            ? new SqliteCommand("INSERT INTO item_ids (seq, local_id, is_new, comment_count) SELECT seq, $first - 1 + row_number() OVER (ORDER BY seq), 1, 0 FROM items WHERE seq NOT IN (SELECT seq FROM item_ids) ORDER BY seq", _db)
            : new SqliteCommand("INSERT INTO comment_ids (seq, local_id, is_new) SELECT seq, $first - 1 + row_number() OVER (ORDER BY seq), 1 FROM comments WHERE seq NOT IN (SELECT seq FROM comment_ids) ORDER BY seq", _db);
        cmd.Parameters.AddWithValue("$first", firstId);
        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// Records the comment count of each new item whose comments are all new (<see cref="StagedRules.CommentCountKnown"/>):
    /// new items start at 0 (<see cref="AssignNewIds"/>), those imported before at null; only items with comments are read.
    /// </summary>
    public void RecordCommentCounts()
    {
        using var cmd = new SqliteCommand("""
            UPDATE item_ids SET comment_count = CASE
                WHEN NOT EXISTS (SELECT 1 FROM comments o JOIN comment_ids oi ON oi.seq = o.seq WHERE o.item_seq = item_ids.seq AND oi.is_new = 0)
                THEN (SELECT count(*) FROM comments o WHERE o.item_seq = item_ids.seq AND o.status = $approved) END
            WHERE is_new = 1 AND seq IN (SELECT item_seq FROM comments)
            """, _db);
        cmd.Parameters.AddWithValue("$approved", CommentStatuses.Approved);
        cmd.ExecuteNonQuery();
    }

    /// <summary>Whether planning gave <paramref name="slug"/> to an item of <paramref name="type"/> (a rare question: see ImportSlugs.ResolveClashesAsync).</summary>
    public bool SlugPlanned(string type, string slug) =>
        Rows(new SqliteCommand("SELECT 1 FROM item_ids n JOIN items i ON i.seq = n.seq WHERE n.slug = $slug AND i.type = $type LIMIT 1", _db),
            [("$slug", slug), ("$type", type)], r => true).Count > 0;

    /// <summary>The items in file order with what planning needs; each gets its plan with <see cref="SetPlans"/>.</summary>
    public List<PlanInput> PlanInputs(long afterSeq, int limit) =>
        Rows(new SqliteCommand("""
            SELECT i.seq, n.local_id, i.type, i.slug, i.creator, i.attachment_url,
                   CASE WHEN i.slug = '' AND i.status IN ('publish', 'future', 'private') THEN i.title ELSE '' END
            FROM items i JOIN item_ids n ON n.seq = i.seq
            WHERE i.seq > $after ORDER BY i.seq LIMIT $limit
            """, _db), [("$after", afterSeq), ("$limit", limit)],
            r => new PlanInput(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6)));

    public void SetPlans(IEnumerable<(long Seq, ItemPlan Plan)> plans)
    {
        using var tx = _db.BeginTransaction();
        using var update = new SqliteStatement(_db, "UPDATE item_ids SET slug = $slug, author_id = $author, mime_type = $mime WHERE seq = $seq");
        foreach (var (seq, plan) in plans) update.Run(plan.Slug, plan.AuthorId, plan.MimeType, seq);
        tx.Commit();
    }

    /// <summary>Records the site's ids of the file's terms and authors, which the staged inserts join on.</summary>
    public void SetSiteIds(TermMap terms, AuthorMap authors)
    {
        using var tx = _db.BeginTransaction();
        using (var insert = new SqliteStatement(_db, "INSERT INTO local_terms (taxonomy, slug, term_id) VALUES ($taxonomy, $slug, $id)"))
        {
            foreach (var (taxonomy, slug, id) in terms.All) insert.Run(taxonomy, slug, id);
        }
        using (var insert = new SqliteStatement(_db, "INSERT INTO local_users (source_id, user_id) VALUES ($source, $user)"))
        {
            foreach (var (source, user) in authors.BySourceIds) insert.Run(source, user);
        }
        tx.Commit();
    }

    /// <summary>
    /// The next items in file order with their terms, meta and comments (only items and comments imported before, when
    /// <paramref name="existingOnly"/>: the new ones were inserted by <see cref="StagedInserts"/>), parents resolved.
    /// </summary>
    public List<StagedItem> Items(long afterSeq, int limit, bool existingOnly)
    {
        var rows = Rows(Command($"""
            SELECT i.seq, i.source_id, i.guid, i.type, i.status, i.title, i.content, i.excerpt, i.slug, i.creator, i.date_utc, i.modified_utc,
                i.parent_source_id, i.menu_order, i.sticky, i.comment_status, i.ping_status, i.password, i.format, i.attachment_url,
                n.local_id, n.is_new, {StagedRules.ItemParent("")}, n.slug, n.author_id, n.mime_type, {StagedRules.CommentCountAtInsert}
            FROM items i JOIN item_ids n ON n.seq = i.seq WHERE i.seq > $after AND n.is_new <= $new ORDER BY i.seq LIMIT $limit
            """), [("$after", afterSeq), ("$limit", limit), ("$new", existingOnly ? 0 : 1)], ReadItemRow);
        if (rows.Count == 0) return [];
        var range = new (string, object)[] { ("$from", rows[0].Seq), ("$to", rows[^1].Seq) };
        var terms = Rows(new SqliteCommand("SELECT item_seq, taxonomy, slug FROM item_terms WHERE item_seq BETWEEN $from AND $to", _db), range,
            r => (Seq: r.GetInt64(0), Key: TermKey(r.GetString(1), r.GetString(2)))).ToLookup(t => t.Seq, t => t.Key);
        var meta = Rows(new SqliteCommand("SELECT item_seq, key, value FROM item_meta WHERE item_seq BETWEEN $from AND $to ORDER BY item_seq, ord", _db), range,
            r => (Seq: r.GetInt64(0), Meta: new WxrMeta(r.GetString(1), r.GetString(2)))).ToLookup(m => m.Seq, m => m.Meta);
        var comments = Rows(Command($"""
            SELECT c.item_seq, c.source_key, c.source_id, c.parent_source_id, c.author_name, c.author_email, c.author_url, c.author_ip,
                c.date_utc, c.content, c.status, c.type, c.user_source_id, cn.local_id, cn.is_new, {StagedRules.CommentParent("")}
            FROM comments c JOIN comment_ids cn ON cn.seq = c.seq WHERE c.item_seq BETWEEN $from AND $to AND cn.is_new <= $new ORDER BY c.seq
            """), [.. range, ("$new", existingOnly ? 0 : 1)], r => (Seq: r.GetInt64(0), Comment: ReadCommentRow(r))).ToLookup(c => c.Seq, c => c.Comment);
        return rows.Select(row => row with
        {
            Item = row.Item with { Meta = meta[row.Seq].ToList() },
            TermKeys = terms[row.Seq].ToList(),
            Comments = comments[row.Seq].ToList(),
        }).ToList();
    }

    public static string TermKey(string taxonomy, string slug) => taxonomy + "\n" + slug;

    private static StagedItem ReadItemRow(SqliteDataReader r)
    {
        var item = new WxrItem
        {
            SourceId = r.GetInt64(1), Guid = r.GetString(2), Type = r.GetString(3), Status = r.GetString(4), Title = r.GetString(5),
            Content = r.GetString(6), Excerpt = r.GetString(7), Slug = r.GetString(8), Creator = r.GetString(9),
            DateUtc = Utc(r.GetDateTime(10)), ModifiedUtc = Utc(r.GetDateTime(11)),
            ParentSourceId = r.GetInt64(12), MenuOrder = r.GetInt32(13), Sticky = r.GetBoolean(14), CommentStatus = r.GetString(15),
            PingStatus = r.GetString(16), Password = r.GetString(17), Format = r.GetString(18), AttachmentUrl = r.GetString(19),
            Terms = [], Meta = [], Comments = [],
        };
        var plan = new ItemPlan(r.GetString(23), r.IsDBNull(24) ? null : r.GetInt64(24), r.IsDBNull(25) ? null : r.GetString(25));
        return new StagedItem(item, r.GetInt64(0), r.GetInt64(20), r.GetBoolean(21), r.IsDBNull(22) ? null : r.GetInt64(22), plan,
            r.IsDBNull(26) ? null : r.GetInt64(26), [], []);
    }

    private static StagedComment ReadCommentRow(SqliteDataReader r)
    {
        var comment = new WxrComment
        {
            SourceId = r.GetInt64(2), ParentSourceId = r.GetInt64(3), AuthorName = r.GetString(4), AuthorEmail = r.GetString(5),
            AuthorUrl = r.GetString(6), AuthorIp = r.GetString(7), DateUtc = Utc(r.GetDateTime(8)),
            Content = r.GetString(9), Status = r.GetString(10), Type = r.GetString(11), UserSourceId = r.GetInt64(12),
        };
        return new StagedComment(comment, r.GetString(1), r.GetInt64(13), r.GetBoolean(14), r.IsDBNull(15) ? null : r.GetInt64(15));
    }

    /// <summary>Dates are staged as the main database stores them (text, UTC), so the staged inserts copy them as they are.</summary>
    private static DateTime Utc(DateTime staged) => DateTime.SpecifyKind(staged, DateTimeKind.Utc);

    /// <summary>A command composed of this class's literals and <see cref="StagedRules"/>; values are parameters.</summary>
#pragma warning disable CA2100 // See the summary: no text from outside.
    private SqliteCommand Command(string sql) => new(sql, _db);
#pragma warning restore CA2100

    /// <summary>Runs a command (its text set by the caller, always a literal) and reads every row; disposes the command.</summary>
    private static List<T> Rows<T>(SqliteCommand cmd, (string Name, object Value)[] parameters, Func<SqliteDataReader, T> read)
    {
        using (cmd)
        {
            foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
            using var reader = cmd.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read()) rows.Add(read(reader));
            return rows;
        }
    }

}
