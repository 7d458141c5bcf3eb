using PressMcp.Sites;

namespace PressMcp.Publishing;

/// <summary>
/// Response headers of public site pages. The content security policy allows images from anywhere (posts embed
/// them), the stylesheet from this server's public origin, forms (search) to the page's own origin, and no script,
/// plugin, frame or base URL at all: a sanitizer slip still could not run anything. Pages are not stored by caches,
/// so a post that is unpublished disappears at once.
/// </summary>
internal sealed class PublicHeaders(SiteUrls urls)
{
    private readonly string _policy =
        $"default-src 'none'; img-src *; style-src 'self' {new Uri(urls.Public).GetLeftPart(UriPartial.Authority)}; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public string StylesheetUrl { get; } = urls.Public + "/assets/public.css";
    public string IconUrl { get; } = urls.Public + "/assets/icon.svg";

    public void Apply(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = _policy;
        response.Headers.CacheControl = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
    }
}
