using Microsoft.EntityFrameworkCore;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Publishing;

/// <summary>Marks a request that reached its site by the site's own host name (so it is not redirected there again).</summary>
internal sealed record SiteHostFeature(string HostName, string Slug);

/// <summary>
/// Sites with a host name are served at that host's root: a request whose Host header is a site's host name is
/// routed as <c>/sites/{slug}/…</c>, so every site endpoint (pages now, <c>wp-json</c> later) answers on both
/// addresses through one set of routes. The configured public host, IP addresses, single-label names and anything the
/// site rules refuse as a host name (non-ASCII among them) are never site hosts and skip the look-up; any other Host costs one indexed query. Must run before routing.
/// <c>/.well-known/…</c> is never rewritten: RFC 9728 puts a resource's metadata at its own host's well-known
/// location, and the discovery endpoints resolve the site from the Host header themselves.
/// </summary>
internal sealed class SiteHostRouting(RequestDelegate next, PublicUrl publicUrl)
{
    public const string SitesPrefix = "/sites";
    private static readonly PathString WellKnown = new("/.well-known");

    private readonly string _publicHost = publicUrl.Uri.IdnHost.ToLowerInvariant();

    // The context is resolved only for a Host that needs the look-up: most requests (every MCP call to the
    // configured host) never query here, and resolving one per request costs CPU for nothing.
    public Task InvokeAsync(HttpContext context) => IsPublicHost(context.Request.Host.Value) ? next(context) : RouteByHostAsync(context);

    /// <summary>
    /// The configured host itself, in any case and with any port: the common case (every MCP call), decided on the header
    /// as it is, without the copies the normalization below makes. Anything else takes the full check.
    /// </summary>
    private bool IsPublicHost(string? hostHeader)
    {
        if (string.IsNullOrEmpty(hostHeader)) return false;
        var host = hostHeader.AsSpan();
        if (host[0] != '[' && host.LastIndexOf(':') is var colon and >= 0) host = host[..colon];
        return host.Equals(_publicHost, StringComparison.OrdinalIgnoreCase);
    }

    private async Task RouteByHostAsync(HttpContext context)
    {
        // Only a Host the site rules accept (ASCII, DNS-shaped) is looked up, in its normalized form.
        var host = SiteRules.NormalizeHostName(context.Request.Host.Host, out _);
        if (host is not null && host != _publicHost && !context.Request.Path.StartsWithSegments(WellKnown, StringComparison.OrdinalIgnoreCase))
        {
            var db = context.RequestServices.GetRequiredService<PressDbContext>();
            var slug = await db.Sites.AsNoTracking().Where(s => s.HostName == host).Select(s => s.Slug).FirstOrDefaultAsync(context.RequestAborted);
            if (slug is not null)
            {
                context.Features.Set(new SiteHostFeature(host, slug));
                context.Request.Path = new PathString($"{SitesPrefix}/{slug}").Add(context.Request.Path);
            }
        }
        await next(context);
    }
}
