namespace PressMcp.Publishing;

/// <summary>The site around every page: its name, tagline, addresses and language.</summary>
internal sealed record SiteChrome(string Title, string Tagline, string Language, string HomeUrl, string StylesheetUrl, string IconUrl)
{
    /// <summary>False when the site asks search engines not to index it (Reading's <c>blog_public</c> off): every page says noindex.</summary>
    public bool Indexable { get; init; } = true;
}

/// <summary>A category or tag shown as a link.</summary>
internal sealed record TermLink(string Name, string Url);

/// <summary>A date as the site shows it (its time zone) and as a machine reads it (ISO 8601 with the offset).</summary>
internal sealed record SiteDate(string Text, string Iso);

/// <summary>One entry of a list (home, archive, search results).</summary>
internal sealed record PostCard(string Title, string Url, SiteDate? Date, string? Author, string Excerpt, IReadOnlyList<TermLink> Categories, bool Sticky);

/// <summary>Newer and older pages of a list.</summary>
internal sealed record Pager(int Page, int TotalPages, string? NewerUrl, string? OlderUrl);

/// <summary>A home page, an archive or search results.</summary>
internal sealed record Listing(string Heading, string? Description, IReadOnlyList<PostCard> Posts, Pager Pager, string? SearchText);

/// <summary>An approved comment and its approved replies (threads deeper than the site's limit are shown at the limit).</summary>
internal sealed record CommentView(long Id, string Author, string? AuthorUrl, SiteDate Date, IReadOnlyList<IReadOnlyList<string>> Paragraphs, IReadOnlyList<CommentView> Replies);

/// <summary>One post or page. <see cref="BodyHtml"/> is <see cref="Content.ContentRenderer"/>'s output: the only unescaped text on a page.</summary>
internal sealed record Article(
    bool IsPage,
    string Title,
    SiteDate? Date,
    string? Author,
    IReadOnlyList<TermLink> Categories,
    IReadOnlyList<TermLink> Tags,
    bool Protected,
    string BodyHtml,
    IReadOnlyList<CommentView> Comments);

/// <summary>What a public address shows: a list or an article, with its title and canonical address.</summary>
internal sealed record PublicView(string Title, string CanonicalUrl, Listing? Listing = null, Article? Article = null)
{
    /// <summary>The post or page whose view is counted; null for lists (the home counts toward the site only).</summary>
    public long? CountedPostId { get; init; }

    /// <summary>Whether a successful view counts in the statistics: posts, pages and the home, not archives or search.</summary>
    public bool Counted { get; init; }

    /// <summary>The address this content lives at now, when the request used another one (answered with 301).</summary>
    public string? MovedTo { get; init; }

    /// <summary>The post's own SEO fields (WordPress.com's Jetpack SEO meta), for the page's head.</summary>
    public SeoMeta Seo { get; init; } = SeoMeta.None;
}

/// <summary>
/// What a post's SEO custom fields ask of the page's head, as WordPress.com's Jetpack SEO keeps them:
/// <c>jetpack_seo_html_title</c> (the whole <c>&lt;title&gt;</c>), <c>advanced_seo_description</c> (the meta description)
/// and <c>jetpack_seo_noindex</c> (a robots noindex when set to a true value).
/// </summary>
internal sealed record SeoMeta(string? HtmlTitle, string? Description, bool NoIndex)
{
    public const string HtmlTitleKey = "jetpack_seo_html_title";
    public const string DescriptionKey = "advanced_seo_description";
    public const string NoIndexKey = "jetpack_seo_noindex";
    public static readonly IReadOnlyList<string> Keys = [HtmlTitleKey, DescriptionKey, NoIndexKey];
    public static readonly SeoMeta None = new(null, null, false);

    /// <summary>From the post's fields (key, value); blank values count as absent, and noindex is on for 1 or true as WordPress reads a boolean.</summary>
    public static SeoMeta From(IEnumerable<(string Key, string Value)> fields)
    {
        var byKey = fields.GroupBy(f => f.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value.Trim(), StringComparer.Ordinal);
        string? Text(string key) => byKey.GetValueOrDefault(key) is { Length: > 0 } v ? v : null;
        return new SeoMeta(Text(HtmlTitleKey), Text(DescriptionKey), Text(NoIndexKey) is "1" or "true" or "TRUE" or "True");
    }
}
