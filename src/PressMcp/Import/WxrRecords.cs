namespace PressMcp.Import;

/// <summary>Where in the export file something is (1-based), for error messages.</summary>
internal readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}

/// <summary>
/// A WordPress export file broke a rule: not well-formed XML, not a WXR file, a missing or unreadable field.
/// Raised while streaming (XmlReader itself reports malformed XML by throwing) and turned into a
/// <see cref="Problem"/> in one place, <see cref="WxrStaging"/>; it never leaves the Import folder.
/// </summary>
internal sealed class WxrFormatException(SourcePosition at, string problem) : Exception(problem)
{
    public SourcePosition At { get; } = at;
}

/// <summary>One thing read from the export, in file order.</summary>
internal abstract record WxrRecord;

/// <summary>The export's format version, its wp:wxr_version ("1.0", "1.1", "1.2"); a file without one is refused.</summary>
internal sealed record WxrHeader(string Version) : WxrRecord;

/// <summary>Something the reader left out and the report names: an item it skipped (which line, and why).</summary>
internal sealed record WxrWarning(SourcePosition At, string Message) : WxrRecord;

internal sealed record WxrAuthor(string Login, string Email, string DisplayName, long? SourceId) : WxrRecord;

/// <summary>A category, tag or other taxonomy term declared in the channel. Parents are named by slug, as in WXR.</summary>
internal sealed record WxrTerm(string Taxonomy, string Slug, string Name, string Description, string ParentSlug) : WxrRecord;

/// <summary>An item of a post type that is not imported (menu items, reusable blocks, custom types).</summary>
internal sealed record WxrSkippedItem(string Type) : WxrRecord;

/// <summary>A post, page or attachment with its terms, custom fields and comments. Dates are UTC.</summary>
internal sealed record WxrItem : WxrRecord
{
    public required long SourceId { get; init; }
    public required string Guid { get; init; }
    public required string Type { get; init; }
    public required string Status { get; init; }
    public required string Title { get; init; }
    public required string Content { get; init; }
    public required string Excerpt { get; init; }
    public required string Slug { get; init; }
    public required string Creator { get; init; }
    public required DateTime DateUtc { get; init; }
    public required DateTime ModifiedUtc { get; init; }
    public required long ParentSourceId { get; init; }
    public required int MenuOrder { get; init; }
    public required bool Sticky { get; init; }
    public required string CommentStatus { get; init; }
    public required string PingStatus { get; init; }
    public required string Password { get; init; }
    public required string Format { get; init; }
    public required string AttachmentUrl { get; init; }
    public required IReadOnlyList<WxrItemTerm> Terms { get; init; }
    public required IReadOnlyList<WxrMeta> Meta { get; init; }
    public required IReadOnlyList<WxrComment> Comments { get; init; }

    /// <summary>The item's identity across imports: its id in the exporting site and its GUID.</summary>
    public string Key => SourceKeys.ForPost(SourceId, Guid);
}

/// <summary>A category or tag an item belongs to (<c>&lt;category domain="…" nicename="…"&gt;</c>).</summary>
internal sealed record WxrItemTerm(string Taxonomy, string Slug, string Name);

internal sealed record WxrMeta(string Key, string Value);

internal sealed record WxrComment
{
    public required long SourceId { get; init; }
    public required long ParentSourceId { get; init; }
    public required string AuthorName { get; init; }
    public required string AuthorEmail { get; init; }
    public required string AuthorUrl { get; init; }
    public required string AuthorIp { get; init; }
    public required DateTime DateUtc { get; init; }
    public required string Content { get; init; }
    public required string Status { get; init; }
    public required string Type { get; init; }
    public required long UserSourceId { get; init; }
}
