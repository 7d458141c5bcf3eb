namespace PressMcp.Content;

/// <summary>
/// The one function that turns a post's stored raw content into the HTML a page shows. Classic content gets
/// WordPress's automatic paragraphs (<see cref="Autop"/>); block-editor content (it carries <c>&lt;!-- wp:…</c>
/// comments) is already in paragraphs, as in WordPress, and its block comments are dropped with every other
/// comment. Then everything passes the allow-list <see cref="HtmlSanitizer"/>: the only HTML from authors that
/// reaches a page. Unknown <c>[shortcodes]</c> stay as plain text.
/// </summary>
internal static class ContentRenderer
{
    private const string BlockMarker = "<!-- wp:";

    /// <param name="raw">The stored content (<see cref="Post.Content"/>).</param>
    /// <param name="siteBaseUrl">The site's base URL; links elsewhere are marked external.</param>
    public static string Render(string? raw, string? siteBaseUrl = null)
    {
        if (string.IsNullOrWhiteSpace(raw)) return "";
        var html = raw.Contains(BlockMarker, StringComparison.Ordinal) ? raw : Autop.Apply(raw);
        return HtmlSanitizer.Sanitize(html, siteBaseUrl).Trim();
    }

    /// <summary>Plain text for a list or a description: the author's excerpt, or the first words of the rendered content.</summary>
    public static string Excerpt(Post post, int words = 55) =>
        post.Excerpt.Trim().Length > 0
            ? HtmlText.TrimWords(HtmlText.Strip(post.Excerpt), words)
            : HtmlText.TrimWords(HtmlText.Strip(Render(post.Content)), words);
}
