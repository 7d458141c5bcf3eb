using Microsoft.Data.Sqlite;
using PressMcp.Content;
using PressMcp.Storage.Sql;

namespace PressMcp.Import;

/// <summary>
/// Writes records into the staging tables with prepared statements (one per table, reused for every row, values bound
/// by position: <see cref="SqliteStatement"/>). Duplicates keep the first occurrence: a term declared twice (wp:category
/// and wp:term), an item exported twice. Runs inside the caller's transaction on the staging connection.
/// </summary>
internal sealed class StagingWriter : IDisposable
{
    private readonly SqliteStatement _author;
    private readonly SqliteStatement _term;
    private readonly SqliteStatement _item;
    private readonly SqliteStatement _itemTerm;
    private readonly SqliteStatement _meta;
    private readonly SqliteStatement _comment;
    private readonly Dictionary<string, int> _skippedItems = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _skippedTerms = new(StringComparer.Ordinal);
    private readonly List<WxrWarning> _warnings = [];
    private long _itemSeq;
    private bool _authorsDeclared;

    public StagingWriter(SqliteConnection db)
    {
        _author = Insert(db, "INSERT OR IGNORE INTO authors", "login", "email", "display_name", "source_id");
        _term = Insert(db, "INSERT OR IGNORE INTO terms", "taxonomy", "slug", "name", "description", "parent_slug", "declared");
        _item = Insert(db, "INSERT OR IGNORE INTO items", "seq", "source_key", "source_id", "guid", "type", "status", "title", "content", "excerpt",
            "slug", "creator", "date_utc", "modified_utc", "parent_source_id", "menu_order", "sticky", "comment_status", "ping_status", "password",
            "format", "attachment_url");
        _itemTerm = Insert(db, "INSERT INTO item_terms", "item_seq", "taxonomy", "slug");
        _meta = Insert(db, "INSERT INTO item_meta", "item_seq", "ord", "key", "value");
        _comment = Insert(db, "INSERT INTO comments", "item_seq", "source_key", "source_id", "parent_source_id", "author_name", "author_email",
            "author_url", "author_ip", "date_utc", "content", "status", "type", "user_source_id");
    }

    /// <summary>From the header, which the reader yields first (or fails).</summary>
    public string Version { get; private set; } = "";
    public IReadOnlyDictionary<string, int> SkippedItems => _skippedItems;
    public IReadOnlyDictionary<string, int> SkippedTerms => _skippedTerms;
    public int DuplicateItems { get; private set; }
    /// <summary>The first <see cref="MaxWarnings"/> warnings (items and comments left out), in file order.</summary>
    public IReadOnlyList<WxrWarning> Warnings => _warnings;
    /// <summary>Every warning, also those beyond the first <see cref="MaxWarnings"/>.</summary>
    public int WarningCount { get; private set; }

    /// <summary>A file of a million bad items must not make a million-line report (or hold it in memory).</summary>
    public const int MaxWarnings = 100;

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
            case WxrWarning warning:
                if (WarningCount++ < MaxWarnings) _warnings.Add(warning);
                break;
        }
    }

    private void AddAuthor(WxrAuthor a) =>
        Run(_author, a.Login, a.Email, a.DisplayName, a.SourceId);

    private void AddTerm(WxrTerm t, bool declared) =>
        Run(_term, t.Taxonomy, t.Slug, t.Name, t.Description, t.ParentSlug, declared);

    private void AddItem(WxrItem i)
    {
        var seq = ++_itemSeq;
        var key = i.Key;
        var added = Run(_item, seq, key, i.SourceId, i.Guid, i.Type, i.Status, i.Title, i.Content, i.Excerpt, i.Slug, i.Creator, i.DateUtc,
            i.ModifiedUtc, i.ParentSourceId, i.MenuOrder, i.Sticky, i.CommentStatus, i.PingStatus, i.Password, i.Format, i.AttachmentUrl);
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
            Run(_itemTerm, seq, t.Taxonomy, t.Slug);
        }
        for (var n = 0; n < i.Meta.Count; n++)
            Run(_meta, seq, n, i.Meta[n].Key, i.Meta[n].Value);
        foreach (var c in i.Comments)
        {
            Run(_comment, seq, SourceKeys.ForComment(c.SourceId, key), c.SourceId, c.ParentSourceId, c.AuthorName, c.AuthorEmail,
                c.AuthorUrl, c.AuthorIp, c.DateUtc, c.Content, c.Status, c.Type, c.UserSourceId);
        }
    }

    private static void Count(Dictionary<string, int> counts, string name) =>
        counts[name] = counts.GetValueOrDefault(name) + 1;

    /// <summary>An INSERT of these columns, in this order. The statement and names are this class's literals; values are bound.</summary>
    private static SqliteStatement Insert(SqliteConnection db, string insertInto, params string[] columns) =>
        new(db, $"{insertInto} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "$" + c))})");

    private static int Run(SqliteStatement insert, params ReadOnlySpan<object?> values) => insert.Run(values);

    public void Dispose()
    {
        foreach (var insert in new[] { _author, _term, _item, _itemTerm, _meta, _comment }) insert.Dispose();
    }
}
