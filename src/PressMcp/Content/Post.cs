namespace PressMcp.Content;

/// <summary>A post, page or attachment (WordPress's <c>wp_posts</c> row). Keyed by (SiteId, Id): ids are per site.</summary>
internal sealed class Post
{
    public long SiteId { get; set; }
    public long Id { get; set; }
    public string Type { get; set; } = PostTypes.Post;
    public string Status { get; set; } = PostStatuses.Draft;
    public string Title { get; set; } = "";
    /// <summary>Stored raw; <see cref="ContentRenderer"/> produces the rendered form.</summary>
    public string Content { get; set; } = "";
    public string Excerpt { get; set; } = "";
    public string Slug { get; set; } = "";
    public long? AuthorId { get; set; }
    /// <summary>Publication date in UTC (WordPress's post_date_gmt); shown in the site's time zone.</summary>
    public DateTime DateUtc { get; set; }
    public DateTime ModifiedUtc { get; set; }
    public long? ParentId { get; set; }
    public int MenuOrder { get; set; }
    public bool Sticky { get; set; }
    public string CommentStatus { get; set; } = OpenClosed.Open;
    public string PingStatus { get; set; } = OpenClosed.Open;
    /// <summary>Post format (standard, aside, gallery, …).</summary>
    public string Format { get; set; } = "standard";
    /// <summary>Password-protected posts (WordPress's post_password); empty when none.</summary>
    public string Password { get; set; } = "";
    /// <summary>Attachments only.</summary>
    public string? MimeType { get; set; }
    /// <summary>The globally unique identifier WordPress exports; kept for idempotent imports.</summary>
    public string Guid { get; set; } = "";
    public long CommentCount { get; set; }

    public Accounts.PostFacts Facts => new(Type, Status, AuthorId);
}

/// <summary>A custom field. Keys may repeat on one post, as in WordPress.</summary>
internal sealed class PostMeta
{
    public long Id { get; set; }
    public long SiteId { get; set; }
    public long PostId { get; set; }
    public required string Key { get; set; }
    public string Value { get; set; } = "";
}

/// <summary>A category (hierarchical) or tag of one site.</summary>
internal sealed class Term
{
    public long SiteId { get; set; }
    public long Id { get; set; }
    public required string Taxonomy { get; set; }
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public string Description { get; set; } = "";
    public long? ParentId { get; set; }
}

internal sealed class PostTerm
{
    public long SiteId { get; set; }
    public long PostId { get; set; }
    public long TermId { get; set; }
}

internal sealed class Comment
{
    public long SiteId { get; set; }
    public long Id { get; set; }
    public long PostId { get; set; }
    /// <summary>The comment this one replies to (threads); null at the top level.</summary>
    public long? ParentId { get; set; }
    public string AuthorName { get; set; } = "";
    public string AuthorEmail { get; set; } = "";
    public string AuthorUrl { get; set; } = "";
    public string AuthorIp { get; set; } = "";
    /// <summary>The registered user who wrote it, if any.</summary>
    public long? UserId { get; set; }
    public DateTime DateUtc { get; set; }
    public string Content { get; set; } = "";
    public string Status { get; set; } = CommentStatuses.Hold;
    /// <summary>comment, pingback or trackback.</summary>
    public string Type { get; set; } = "comment";
}

/// <summary>Views of a whole site on one day (the site's time zone), and how many distinct visitors made them.</summary>
internal sealed class SiteDailyViews
{
    public long SiteId { get; set; }
    public DateOnly Day { get; set; }
    public long Views { get; set; }
    /// <summary>Distinct visitors that day, as <see cref="Publishing.Statistics.VisitorTally"/> counts them (no address is kept).</summary>
    public long Visitors { get; set; }
}

/// <summary>Views of one post or page on one day (the site's time zone).</summary>
internal sealed class PostDailyViews
{
    public long SiteId { get; set; }
    public long PostId { get; set; }
    public DateOnly Day { get; set; }
    public long Views { get; set; }
}
