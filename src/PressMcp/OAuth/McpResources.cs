using Microsoft.EntityFrameworkCore;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.OAuth;

/// <summary>An MCP endpoint as an OAuth protected resource (RFC 8707): its exact URL, and its site when it serves one.</summary>
internal sealed record McpResource(string Url, long? SiteId)
{
    public bool IsSiteEndpoint => SiteId is not null;
}

/// <summary>
/// The catalogue of MCP endpoints. Each URL is its own resource: a token is valid only at the one it was
/// issued for. The WordPress.com-style endpoint serves every site the grant names; a site's adapter endpoint
/// (WordPress's MCP Adapter path) serves that site, under the public URL and, for a site with a host name,
/// on that host too. Every URL is built from configuration, never from a request's Host header.
/// </summary>
internal sealed class McpResources(SiteUrls urls, PressDbContext db)
{
    public const string WpcomPath = "/wpcom/v2/mcp/v1";
    public const string AdapterPath = "/wp-json/mcp/mcp-adapter-default-server";
    public const string MetadataPath = "/.well-known/oauth-protected-resource";

    /// <summary>The WordPress.com-style endpoint; the root protected-resource metadata describes it.</summary>
    public string Wpcom => urls.WpcomEndpoint;

    public string SiteEndpoint(string slug) => $"{urls.Public}/sites/{slug}{AdapterPath}";

    public static string HostEndpoint(string hostName) => $"https://{hostName}{AdapterPath}";

    /// <summary>Every endpoint URL of a site: under the public URL and, when it has one, on its own host.</summary>
    public IReadOnlyList<string> EndpointsOf(Site site) =>
        site.HostName is { Length: > 0 } host ? [SiteEndpoint(site.Slug), HostEndpoint(host)] : [SiteEndpoint(site.Slug)];

    /// <summary>RFC 9728 §3.1: the well-known segment goes between the origin and the resource's path.</summary>
    public static string MetadataUrlFor(string resourceUrl)
    {
        var uri = new Uri(resourceUrl);
        return uri.GetLeftPart(UriPartial.Authority) + MetadataPath + uri.AbsolutePath.TrimEnd('/');
    }

    /// <summary>The resource a URL names exactly, or null when it is not one of this server's MCP endpoints.</summary>
    public async Task<McpResource?> ResolveAsync(string? url, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(url)) return null;
        if (url == Wpcom) return new McpResource(url, null);

        var sitesPrefix = urls.Public + "/sites/";
        if (url.StartsWith(sitesPrefix, StringComparison.Ordinal) && url.EndsWith(AdapterPath, StringComparison.Ordinal))
        {
            var slug = url[sitesPrefix.Length..^AdapterPath.Length];
            if (slug.Length == 0 || slug.Contains('/')) return null;
            var id = await db.Sites.Where(s => s.Slug == slug).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
            return id is null ? null : new McpResource(url, id);
        }

        const string https = "https://";
        if (url.StartsWith(https, StringComparison.Ordinal) && url.EndsWith(AdapterPath, StringComparison.Ordinal))
        {
            var host = url[https.Length..^AdapterPath.Length];
            if (host.Length == 0 || host.Any(c => c is '/' or ':' or '@' or '?' or '#') || host != host.ToLowerInvariant()) return null;
            var id = await db.Sites.Where(s => s.HostName == host).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
            return id is null ? null : new McpResource(url, id);
        }
        return null;
    }

    /// <summary>
    /// The resource whose metadata a request for <c>/.well-known/oauth-protected-resource{path}</c> asks for.
    /// An empty path is the WordPress.com-style endpoint. A request that arrives on a site's own host name
    /// may name that site's host endpoint; the host is only matched against stored site host names.
    /// </summary>
    public async Task<McpResource?> FromMetadataPathAsync(string path, string? requestHost, CancellationToken ct = default)
    {
        if (path.Length == 0 || path == "/") return new McpResource(Wpcom, null);
        var origin = new Uri(urls.Public).GetLeftPart(UriPartial.Authority);
        var resource = await ResolveAsync(origin + path, ct);
        if (resource is not null || string.IsNullOrEmpty(requestHost) || path != AdapterPath) return resource;
        return await ResolveAsync(HostEndpoint(requestHost.ToLowerInvariant()), ct);
    }
}
