namespace PressMcp.Sites;

/// <summary>A hosted site: WordPress's blog in a multisite network.</summary>
internal sealed class Site
{
    public long Id { get; set; }
    public required string Slug { get; set; }
    public required string Title { get; set; }
    public string Tagline { get; set; } = "";
    /// <summary>Optional host name (e.g. <c>blog.example.com</c>), stored lower-case.</summary>
    public string? HostName { get; set; }
    /// <summary>IANA time zone id; dates are stored in UTC and shown in this zone.</summary>
    public string TimeZone { get; set; } = "UTC";
    public string Language { get; set; } = "en-US";
    public DateTime CreatedUtc { get; set; }

    // Per-site id sequences: posts, comments and terms are numbered per site, as in WordPress.
    // Incremented with a single UPDATE … RETURNING so allocation is atomic on both providers.
    public long NextPostId { get; set; } = 1;
    public long NextCommentId { get; set; } = 1;
    public long NextTermId { get; set; } = 1;

    /// <summary>A detached copy (for a cache that hands the same site to many requests).</summary>
    public Site Copy() => (Site)MemberwiseClone();
}

/// <summary>One WordPress option of a site (<c>wp_options</c>); the catalogue of known options is <see cref="SiteSettingsCatalog"/>.</summary>
internal sealed class SiteOption
{
    public long SiteId { get; set; }
    public required string Name { get; set; }
    public required string Value { get; set; }
}
