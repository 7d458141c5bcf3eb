namespace PressMcp.Web;

/// <summary>
/// Headers every response carries. Pages may not be framed (clickjacking), content types are not sniffed,
/// and the default policy allows only this origin's scripts and styles. Account pages are never cached.
/// </summary>
internal static class SecurityHeaders
{
    public const string PagePolicy =
        "default-src 'self'; img-src 'self' data: https:; script-src 'self'; style-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UsePressSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpContext)state).Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                if (!headers.ContainsKey("Content-Security-Policy"))
                    headers.ContentSecurityPolicy = PagePolicy;
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
}
