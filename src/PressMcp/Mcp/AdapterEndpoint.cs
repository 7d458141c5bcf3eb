using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Accounts.AppPasswords;
using PressMcp.OAuth;
using PressMcp.OAuth.Bearer;
using PressMcp.Publishing;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Mcp;

/// <summary>
/// The WordPress MCP Adapter endpoint of every site, <c>POST /sites/{slug}/wp-json/mcp/mcp-adapter-default-server</c>,
/// and the same path on a site's own host name (<see cref="SiteHostRouting"/> rewrites that to the first form). The
/// Streamable HTTP layer is the WordPress.com-style endpoint's (<see cref="McpHttpTransport"/>); authentication
/// (<see cref="AdapterAuthentication"/>) and the tools (<see cref="AdapterTools"/>) are this endpoint's own.
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
        services.AddScoped<AdapterAuthentication>();
        services.AddScoped<AdapterTools>();
        return services;
    }

    public static void MapMcpAdapter(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, HandleAsync);
        app.MapMethods(Route, ["GET", "DELETE"], McpHttpTransport.MethodNotAllowed);
    }

    private static async Task HandleAsync(HttpContext http, string slug, PressDbContext db, McpHttpTransport transport, AdapterAuthentication authentication, AdapterTools tools,
        Media.MediaOptions media, AbilityRegistry registry, AbilityInvoker invoker)
    {
        var site = await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Slug == slug, http.RequestAborted);
        if (site is null)
        {
            http.Response.Headers.CacheControl = "no-store";
            await WpRestError.WriteAsync(http.Response, StatusCodes.Status404NotFound, "rest_no_route", $"There is no site '{slug}' on this server.");
            return;
        }
        await transport.HandleAsync(http, ct => authentication.AuthenticateAsync(http, site, ct), tools, endpointSite: site, UploadBody(site, media, registry, invoker));
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

/// <summary>
/// Who calls a site's adapter endpoint: HTTP Basic with an Application Password (this endpoint only: nothing
/// else reads Basic credentials, and no browser session is ever created from them), or an OAuth bearer token
/// issued for this endpoint's exact URL whose grant includes the site. Checks for Basic, in order: https or a
/// loopback peer; the failure limit of the client address; the credentials; the account's lockout.
/// </summary>
internal sealed class AdapterAuthentication(
    AppPasswordAuthenticator passwords, AppPasswordFailureLimiter failures, BearerAuthenticator bearer, UserAccounts accounts, McpResources resources)
{
    public const string Realm = "PressMcp";
    private const string BasicScheme = "Basic ";
    private const int MaxHeaderLength = 1024;

    public async Task<McpAuthentication> AuthenticateAsync(HttpContext http, Site site, CancellationToken ct)
    {
        var resource = ResourceOf(http, site);
        var headers = http.Request.Headers.Authorization;
        if (headers.Count == 0)
            return McpAuthentication.Refused(r => NotLoggedInAsync(r, resource), resource);
        if (headers.Count == 1 && headers[0] is { } value && value.StartsWith(BasicScheme, StringComparison.OrdinalIgnoreCase))
            return await BasicAsync(http, value[BasicScheme.Length..].Trim(), resource, ct);
        return await BearerAsync(http, site, resource, ct);
    }

    /// <summary>
    /// The URL this request addressed, built from configuration and the stored host name (never the Host header):
    /// a token is accepted only at the URL it was issued for (RFC 8707), as at every MCP endpoint.
    /// </summary>
    private string ResourceOf(HttpContext http, Site site) =>
        http.Features.Get<SiteHostFeature>() is { } host ? McpResources.HostEndpoint(host.HostName) : resources.SiteEndpoint(site.Slug);

    private async Task<McpAuthentication> BasicAsync(HttpContext http, string encoded, string resource, CancellationToken ct)
    {
        var peer = http.Connection.RemoteIpAddress;
        if (!http.Request.IsHttps && !IsLoopback(peer))
        {
            // WordPress accepts Application Passwords only over https; so do we, except from this machine.
            return McpAuthentication.Refused(r => WpRestError.WriteAsync(r, StatusCodes.Status403Forbidden, "application_passwords_https_required",
                "Application Passwords are accepted only over https (or from this machine): call the https address. "
                + "This password has just crossed the network unencrypted; consider revoking it and creating a new one."), resource);
        }

        var client = peer?.ToString() ?? "unknown";
        if (failures.RetryAfter(client) is { } wait)
        {
            return McpAuthentication.Refused(r =>
            {
                r.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return WpRestError.WriteAsync(r, StatusCodes.Status429TooManyRequests, "too_many_failed_attempts",
                    "Too many failed Application Password attempts from this address; wait for the time in Retry-After.");
            }, resource);
        }

        var credentials = Decode(encoded);
        var result = credentials is { } c
            ? await passwords.VerifyAsync(c.Login, c.Password, peer, ct)
            : new AppPasswordResult(AppPasswordVerdict.Invalid, null, null);
        switch (result.Verdict)
        {
            case AppPasswordVerdict.Accepted:
                var user = result.User!;
                // All scopes: an Application Password is the user acting as themselves; the role on the site and the
                // MCP settings (read at call time) decide. No site list: the role check refuses sites they are not a
                // member of, and a server administrator reaches every site, as WordPress's super admin does.
                return new McpAuthentication(
                    new McpCaller(user.Id, user.IsServerAdmin, Scopes.Expand(Scopes.Auth), null, "app-password:" + result.PasswordName, AdapterEndpoint.Name),
                    null, resource);
            default:
                failures.RecordFailure(client);
                return McpAuthentication.Refused(r =>
                {
                    r.Headers.WWWAuthenticate = $"Basic realm=\"{Realm}\"";
                    return WpRestError.WriteAsync(r, StatusCodes.Status401Unauthorized, "invalid_application_password",
                        "The login or Application Password is not valid. Use your login and an Application Password (not your account password); spaces in it do not matter.");
                }, resource);
        }
    }

    private async Task<McpAuthentication> BearerAsync(HttpContext http, Site site, string resource, CancellationToken ct)
    {
        var auth = await bearer.AuthenticateAsync(http, resource, ct);
        if (!auth.Succeeded) return McpAuthentication.Refused(auth.Challenge!.WriteAsync, resource);
        var principal = auth.Principal!;
        var user = await accounts.FindByIdAsync(principal.UserId);
        // A token for this URL names this site in its grant; one that does not (or whose user is gone) is not valid here.
        if (user is null || !principal.MaySee(site.Id)) return McpAuthentication.Refused(BearerChallenge.InvalidToken(resource).WriteAsync, resource);
        return new McpAuthentication(
            new McpCaller(principal.UserId, user.IsServerAdmin, principal.Scopes, principal.SiteIds.ToHashSet(), principal.ClientId, AdapterEndpoint.Name),
            null, resource);
    }

    /// <summary>No credentials: both ways in are offered, OAuth (with the metadata that starts discovery) and Basic.</summary>
    private static Task NotLoggedInAsync(HttpResponse response, string resource)
    {
        response.Headers.WWWAuthenticate = new([BearerChallenge.Missing(resource).WwwAuthenticate, $"Basic realm=\"{Realm}\""]);
        return WpRestError.WriteAsync(response, StatusCodes.Status401Unauthorized, "rest_not_logged_in",
            "You are not logged in. Send HTTP Basic with your login and an Application Password, or an OAuth bearer token issued for this endpoint.");
    }

    /// <summary>RFC 7617: base64 of UTF-8 <c>login:password</c>, split at the first colon.</summary>
    private static (string Login, string Password)? Decode(string encoded)
    {
        if (encoded.Length is 0 or > MaxHeaderLength) return null;
        var bytes = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, bytes, out var length)) return null;
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? null : (text[..colon], text[(colon + 1)..]);
    }

    private static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
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
