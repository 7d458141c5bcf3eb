using System.Text.Json.Nodes;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Accounts.AppPasswords;
using PressMcp.OAuth;
using PressMcp.Publishing;
using PressMcp.Sites;

namespace PressMcp.Mcp;

/// <summary>
/// The WordPress MCP Adapter endpoint of every site, <c>POST /sites/{slug}/wp-json/mcp/mcp-adapter-default-server</c>,
/// and the same path on a site's own host name (<see cref="SiteHostRouting"/> rewrites that to the first form). The
/// Streamable HTTP layer is the WordPress.com-style endpoint's (<see cref="McpHttpTransport"/>); the authentication
/// scheme (<see cref="AdapterAuthenticationHandler"/>) and the tools (<see cref="AdapterTools"/>) are this endpoint's own.
/// </summary>
internal static class AdapterEndpoint
{
    public const string Route = "/sites/{slug}" + McpResources.AdapterPath;
    /// <summary>The endpoint's name in the activity log.</summary>
    public const string Name = "adapter";

    public static IServiceCollection AddMcpAdapter(this IServiceCollection services)
    {
        services.AddPressOptions<AppPasswordFailureOptions>();
        services.AddSingleton<AppPasswordFailureLimiter>();
        services.AddScoped<AppPasswordAuthenticator>();
        services.AddSingleton<AppPasswordCache>();
        services.AddScoped<AdapterTools>();
        services.AddSingleton<AdapterSessionTokens>();
        services.AddScoped<AdapterSession>();
        return services;
    }

    public static void MapMcpAdapter(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, HandleAsync).RequireAuthorization(McpAuthenticationSchemes.AdapterPolicy);
        app.MapDelete(Route, EndSessionAsync).RequireAuthorization(McpAuthenticationSchemes.AdapterPolicy);
        app.MapMethods(Route, ["GET"], McpHttpTransport.MethodNotAllowed);
    }

    private static Task HandleAsync(HttpContext http, McpHttpTransport transport, AdapterTools tools, AdapterSession session, Media.MediaOptions media, AbilityRegistry registry, AbilityInvoker invoker)
    {
        // The scheme (AdapterAuthenticationHandler) found the site, or answered 404 before this ran.
        var identity = McpIdentity.Of(http);
        var site = identity.EndpointSite!;
        session.Begin(http.Request.Headers[AdapterSessionTokens.Header].ToString(), identity.Caller.UserId, site.Id);
        // The header is known only once the messages are dispatched, and must go out with the response's first byte.
        http.Response.OnStarting(() =>
        {
            if (session.ResponseId is { } id) http.Response.Headers[AdapterSessionTokens.Header] = id;
            return Task.CompletedTask;
        });
        return transport.HandleAsync(http, tools, UploadBody(site, media, registry, invoker));
    }

    /// <summary>
    /// <c>DELETE</c> ends a session, as the adapter's does: 200 with no body for an id this caller holds on this site,
    /// -32600 (HTTP 400) without the header. An id that is not the caller's is refused with the adapter's "Session not
    /// found" (-32005, HTTP 404) rather than acknowledged, so a DELETE cannot be used to probe ids. Nothing is stored,
    /// so nothing is removed: the id stays valid until it expires (<see cref="AdapterSessionTokens"/>).
    /// </summary>
    private static Task EndSessionAsync(HttpContext http, AdapterSession session)
    {
        var identity = McpIdentity.Of(http);
        var presented = http.Request.Headers[AdapterSessionTokens.Header].ToString();
        session.Begin(presented, identity.Caller.UserId, identity.EndpointSite!.Id);
        if (!session.WasPresented)
            return McpHttpTransport.WriteAsync(http, JsonRpcMessage.Error(null, JsonRpcErrors.InvalidRequest, "Invalid Request: Missing Mcp-Session-Id header"), StatusCodes.Status400BadRequest);
        if (!session.PresentedIsValid)
            return McpHttpTransport.WriteAsync(http, JsonRpcMessage.Error(null, AdapterSession.SessionNotFound, AdapterSession.SessionNotFoundMessage), StatusCodes.Status404NotFound);
        http.Response.StatusCode = StatusCodes.Status200OK;
        return Task.CompletedTask;
    }

    /// <summary>
    /// The adapter serves media/upload, whose file travels as base64 in the body, so its limit follows the upload
    /// limit; but only for that call, and only from a caller every permission layer lets upload on this site
    /// (decided before the body is read). Every other body keeps the transport's small limit.
    /// </summary>
    private static McpLargeBody? UploadBody(Site site, Media.MediaOptions media, AbilityRegistry registry, AbilityInvoker invoker)
    {
        if (registry.Find(Media.Abilities.MediaUploadAbility.Name) is not { PublicOverMcp: true } upload) return null;
        return new McpLargeBody(media.McpBodyLimit, $"{upload.Name} calls ({AdapterTools.Execute}) of a user who may upload files on this site",
            (caller, ct) => invoker.IsAllowedAsync(caller, upload, site, ct),
            message => AdapterTools.IsExecuteOf(message, upload.Name));
    }
}

/// <summary>An error in the shape of WordPress's REST API (<c>WP_Error</c>): <c>{"code","message","data":{"status"}}</c>.</summary>
internal static class WpRestError
{
    public static Task WriteAsync(HttpResponse response, int status, string code, string message)
    {
        response.StatusCode = status;
        response.Headers.CacheControl = "no-store";
        response.ContentType = "application/json; charset=utf-8";
        var body = new JsonObject { ["code"] = code, ["message"] = message, ["data"] = new JsonObject { ["status"] = status } };
        return response.WriteAsync(body.ToJsonString());
    }
}
