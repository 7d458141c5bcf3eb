using Microsoft.Data.Sqlite;
using PressMcp.Content;

namespace PressMcp.Import;

/// <summary>
/// Writes records into the staging tables with prepared statements (one per table, reused for every row).
/// Duplicates keep the first occurrence: a term declared twice (wp:category and wp:term), an item exported twice.
/// </summary>
internal sealed class StagingWriter
{
    private readonly SqliteCommand _author;
    private readonly SqliteCommand _term;
    private readonly SqliteCommand _item;
    private readonly SqliteCommand _itemTerm;
    private readonly SqliteCommand _meta;
    private readonly SqliteCommand _comment;
    private readonly Dictionary<string, int> _skippedItems = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _skippedTerms = new(StringComparer.Ordinal);
    private long _itemSeq;
    private bool _authorsDeclared;

    public StagingWriter(SqliteConnection db, SqliteTransaction tx)
    {
        _author = new SqliteCommand("INSERT OR IGNORE INTO authors (login, email, display_name, source_id) VALUES ($login, $email, $display_name, $source_id)", db, tx);
        _term = new SqliteCommand("INSERT OR IGNORE INTO terms (taxonomy, slug, name, description, parent_slug, declared) VALUES ($taxonomy, $slug, $name, $description, $parent_slug, $declared)", db, tx);
        _item = new SqliteCommand("""
            INSERT OR IGNORE INTO items (seq, source_key, source_id, guid, type, status, title, content, excerpt, slug, creator, date_utc,
                modified_utc, parent_source_id, menu_order, sticky, comment_status, ping_status, password, format, attachment_url)
            VALUES ($seq, $source_key, $source_id, $guid, $type, $status, $title, $content, $excerpt, $slug, $creator, $date_utc,
                $modified_utc, $parent_source_id, $menu_order, $sticky, $comment_status, $ping_status, $password, $format, $attachment_url)
            """, db, tx);
        _itemTerm = new SqliteCommand("INSERT INTO item_terms (item_seq, taxonomy, slug) VALUES ($item_seq, $taxonomy, $slug)", db, tx);
        _meta = new SqliteCommand("INSERT INTO item_meta (item_seq, ord, key, value) VALUES ($item_seq, $ord, $key, $value)", db, tx);
        _comment = new SqliteCommand("""
            INSERT INTO comments (item_seq, source_key, source_id, parent_source_id, author_name, author_email, author_url, author_ip,
                date_utc, content, status, type, user_source_id)
            VALUES ($item_seq, $source_key, $source_id, $parent_source_id, $author_name, $author_email, $author_url, $author_ip,
                $date_utc, $content, $status, $type, $user_source_id)
            """, db, tx);
    }

    /// <summary>From the header, which the reader yields first (or fails).</summary>
    public string Version { get; private set; } = "";
    public IReadOnlyDictionary<string, int> SkippedItems => _skippedItems;
    public IReadOnlyDictionary<string, int> SkippedTerms => _skippedTerms;
    public int DuplicateItems { get; private set; }

    public void Add(WxrRecord record)
    {
        switch (record)
        {
            case WxrHeader header: Version = header.Version; break;
            case WxrAuthor author:
                _authorsDeclared = true;
                AddAuthor(author);
                break;
            case WxrTerm term when term.Taxonomy is Taxonomies.Category or Taxonomies.Tag: AddTerm(term, declared: true); break;
            case WxrTerm term: Count(_skippedTerms, term.Taxonomy); break;
            case WxrSkippedItem skipped: Count(_skippedItems, skipped.Type); break;
            case WxrItem item: AddItem(item); break;
        }
    }

    private void AddAuthor(WxrAuthor a) =>
        Run(_author, ("$login", a.Login), ("$email", a.Email), ("$display_name", a.DisplayName), ("$source_id", a.SourceId));

    private void AddTerm(WxrTerm t, bool declared) =>
        Run(_term, ("$taxonomy", t.Taxonomy), ("$slug", t.Slug), ("$name", t.Name), ("$description", t.Description), ("$parent_slug", t.ParentSlug), ("$declared", declared));

    private void AddItem(WxrItem i)
    {
        var seq = ++_itemSeq;
        var added = Run(_item, ("$seq", seq), ("$source_key", i.Key), ("$source_id", i.SourceId), ("$guid", i.Guid), ("$type", i.Type),
            ("$status", i.Status), ("$title", i.Title), ("$content", i.Content), ("$excerpt", i.Excerpt), ("$slug", i.Slug),
            ("$creator", i.Creator), ("$date_utc", i.DateUtc.Ticks), ("$modified_utc", i.ModifiedUtc.Ticks),
            ("$parent_source_id", i.ParentSourceId), ("$menu_order", i.MenuOrder), ("$sticky", i.Sticky), ("$comment_status", i.CommentStatus),
            ("$ping_status", i.PingStatus), ("$password", i.Password), ("$format", i.Format), ("$attachment_url", i.AttachmentUrl));
        if (added == 0)
        {
            DuplicateItems++;
            return;
        }
        // WXR 1.0 has no author list: there, as in WordPress's importer, the items' creators are the authors.
        // (Authors come before items in every export, so by now we know whether there is a list.)
        if (!_authorsDeclared && i.Creator.Length > 0) AddAuthor(new WxrAuthor(i.Creator, "", i.Creator, null));
        foreach (var t in i.Terms)
        {
            // A term an item uses but the channel does not declare is created from the item's own element.
            AddTerm(new WxrTerm(t.Taxonomy, t.Slug, t.Name, "", ""), declared: false);
            Run(_itemTerm, ("$item_seq", seq), ("$taxonomy", t.Taxonomy), ("$slug", t.Slug));
        }
        for (var n = 0; n < i.Meta.Count; n++)
            Run(_meta, ("$item_seq", seq), ("$ord", n), ("$key", i.Meta[n].Key), ("$value", i.Meta[n].Value));
        foreach (var c in i.Comments)
        {
            Run(_comment, ("$item_seq", seq), ("$source_key", SourceKeys.ForComment(c.SourceId, i.Key)), ("$source_id", c.SourceId),
                ("$parent_source_id", c.ParentSourceId), ("$author_name", c.AuthorName), ("$author_email", c.AuthorEmail),
                ("$author_url", c.AuthorUrl), ("$author_ip", c.AuthorIp), ("$date_utc", c.DateUtc.Ticks), ("$content", c.Content),
                ("$status", c.Status), ("$type", c.Type), ("$user_source_id", c.UserSourceId));
        }
    }

    private static void Count(Dictionary<string, int> counts, string name) =>
        counts[name] = counts.GetValueOrDefault(name) + 1;

    private static int Run(SqliteCommand cmd, params (string Name, object? Value)[] values)
    {
        cmd.Parameters.Clear();
        foreach (var (name, value) in values)
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd.ExecuteNonQuery();
    }
}
