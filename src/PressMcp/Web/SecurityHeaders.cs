namespace PressMcp.Web;

/// <summary>
/// Headers every response carries. Content types are never sniffed, and nothing may be framed. A page (anything
/// that is not a data answer) gets X-Frame-Options, the default policy allowing only this origin's scripts and styles
/// (with <c>frame-ancestors 'none'</c>) and a referrer policy, as does any answer whose endpoint set its own policy.
/// A data answer (JSON, JSON-RPC over an event stream) without a policy of its own is never rendered as a page:
/// <see cref="DataPolicy"/> forbids it every resource and every frame in one line, which is what the page headers did
/// for it; they were about 300 bytes on every MCP and OAuth answer, and writing them showed in the trivial MCP call's
/// profile (docs/performance.md, MCP: the trivial call). Account pages are never cached.
/// </summary>
internal static class SecurityHeaders
{
    public const string PagePolicy =
        "default-src 'self'; img-src 'self' data: https:; script-src 'self'; style-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>
    /// A data answer's policy: should a browser be led to open one, it loads nothing and runs nothing, and no page may
    /// frame it (<c>frame-ancestors</c> is what X-Frame-Options says, for every browser that reads CSP level 2).
    /// </summary>
    public const string DataPolicy = "default-src 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UsePressSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var response = ((HttpContext)state).Response;
                var headers = response.Headers;
                headers.XContentTypeOptions = "nosniff";
                if (!headers.ContainsKey("Content-Security-Policy"))
                {
                    if (IsDataAnswer(response.ContentType))
                    {
                        headers.ContentSecurityPolicy = DataPolicy;
                        return Task.CompletedTask;
                    }
                    headers.ContentSecurityPolicy = PagePolicy;
                }
                // A page, or an answer whose endpoint chose its own policy (a media file's, which may not forbid framing).
                headers.XFrameOptions = "DENY";
                // An endpoint's own stays (an export link's no-referrer: the link is a credential).
                if (!headers.ContainsKey("Referrer-Policy"))
                    headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                return Task.CompletedTask;
            }, context);
            return next(context);
        });

    /// <summary>
    /// JSON (<c>application/json</c>, <c>application/…+json</c> such as problem details) or an event stream: answers a
    /// browser does not render as HTML. Anything else, no content type included, keeps the page headers.
    /// </summary>
    internal static bool IsDataAnswer(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return false;
        var type = contentType.AsSpan();
        if (type.IndexOf(';') is var parameters and >= 0) type = type[..parameters];
        type = type.Trim();
        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }
}
