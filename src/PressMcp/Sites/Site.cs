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
    /// <summary>
    /// What the site's administrators allow agents to do here, for every member: a layer of the one permission
    /// function (<see cref="Abilities.AbilityPermission"/>) that only narrows, above each member's own MCP settings.
    /// </summary>
    public SiteMcpPolicy McpPolicy { get; set; } = SiteMcpPolicy.Allow;
    /// <summary>
    /// How posts are addressed, as WordPress's <c>permalink_structure</c> option writes it (<see cref="Permalinks"/>);
    /// a column, not an option row, because every link to a post is built from it and the site is already at hand.
    /// </summary>
    public string PermalinkStructure { get; set; } = Permalinks.DayAndName;

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

/// <summary>A site's MCP policy, set by its administrators (Settings, MCP).</summary>
internal enum SiteMcpPolicy
{
    /// <summary>Each member's own MCP settings decide.</summary>
    Allow,
    /// <summary>Agents may only read on this site, whoever they act for.</summary>
    ReadOnly,
    /// <summary>No agent may use this site.</summary>
    Blocked,
}

/// <summary>The policy's words, as pages, abilities and the database spell them.</summary>
internal static class SiteMcpPolicies
{
    public const string Allow = "allow";
    public const string ReadOnly = "read-only";
    public const string Blocked = "blocked";

    public static IReadOnlyList<string> All { get; } = [Allow, ReadOnly, Blocked];

    public static string Text(SiteMcpPolicy policy) => policy switch
    {
        SiteMcpPolicy.ReadOnly => ReadOnly,
        SiteMcpPolicy.Blocked => Blocked,
        _ => Allow,
    };

    public static SiteMcpPolicy? Parse(string? text) => text switch
    {
        Allow => SiteMcpPolicy.Allow,
        ReadOnly => SiteMcpPolicy.ReadOnly,
        Blocked => SiteMcpPolicy.Blocked,
        _ => null,
    };
}
