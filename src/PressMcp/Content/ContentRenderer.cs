namespace PressMcp.Content;

/// <summary>
/// The one function that turns a post's stored raw content into the HTML a page shows. Classic content gets
/// WordPress's automatic paragraphs (<see cref="Autop"/>); block-editor content (it carries <c>&lt;!-- wp:…</c>
/// comments) is already in paragraphs, as in WordPress, and its block comments are dropped with every other
/// comment. Then everything passes the allow-list <see cref="HtmlSanitizer"/>: the only HTML from authors that
/// reaches a page. Unknown <c>[shortcodes]</c> stay as plain text. Both steps are linear in the content's length;
/// pages call it through <see cref="RenderedContent"/>, which keeps the results.
/// </summary>
internal static class ContentRenderer
{
    private const string BlockMarker = "<!-- wp:";

    /// <param name="raw">The stored content (<see cref="Post.Content"/>).</param>
    /// <param name="siteBaseUrl">The site's base URL; links elsewhere are marked external.</param>
    /// <param name="ct">Stops the work when the request that asked for it is gone.</param>
    public static string Render(string? raw, string? siteBaseUrl = null, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(raw)) return "";
        ct.ThrowIfCancellationRequested();
        var html = raw.Contains(BlockMarker, StringComparison.Ordinal) ? raw : Autop.Apply(raw);
        ct.ThrowIfCancellationRequested();
        return HtmlSanitizer.Sanitize(html, siteBaseUrl, ct).Trim();
    }

    /// <summary>Plain text for a list or a description: the author's excerpt, or the first words of the rendered content.</summary>
    public static string Excerpt(Post post, int words = 55, CancellationToken ct = default) =>
        post.Excerpt.Trim().Length > 0 ? AuthorExcerpt(post.Excerpt, words) : AutomaticExcerpt(post.Content, words, ct);

    internal static string AuthorExcerpt(string excerpt, int words = 55) => HtmlText.Excerpt(excerpt, words);

    internal static string AutomaticExcerpt(string content, int words = 55, CancellationToken ct = default) =>
        HtmlText.Excerpt(Render(content, ct: ct), words);
}
