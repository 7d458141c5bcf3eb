using System.Globalization;
using System.Net;
using System.Text;
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
/// Who calls a site's adapter endpoint: HTTP Basic with an Application Password (this endpoint only: nothing
/// else reads Basic credentials, and no browser session is ever created from them), or an OAuth bearer token
/// issued for this endpoint's exact URL whose grant includes the site. Checks for Basic, in order: https or a
/// loopback peer; the failure limit of the client address; the credentials; the account's lockout. The site comes
/// first: a path naming no site is WordPress's <c>404 rest_no_route</c> whoever asks, as it was before any credential
/// is read.
/// </summary>
internal sealed class AdapterAuthenticationHandler(
    OriginPolicy origins, PressDbContext db, AppPasswordAuthenticator passwords, AppPasswordFailureLimiter failures, BearerAuthenticator bearer, UserAccounts accounts, McpResources resources)
    : McpAuthenticationHandler(origins)
{
    public const string Realm = "PressMcp";
    private const string BasicScheme = "Basic ";
    private const int MaxHeaderLength = 1024;

    protected override async Task<McpAuthentication> AuthenticateCallerAsync(CancellationToken ct)
    {
        var http = Context;
        var slug = http.GetRouteValue("slug") as string;
        var site = slug is null ? null : await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Slug == slug, ct);
        if (site is null)
            return McpAuthentication.Refused(r => WpRestError.WriteAsync(r, StatusCodes.Status404NotFound, "rest_no_route", $"There is no site '{slug}' on this server."), "");
        var resource = ResourceOf(http, site);
        var headers = http.Request.Headers.Authorization;
        var outcome = headers.Count == 0
            ? McpAuthentication.Refused(r => NotLoggedInAsync(r, resource), resource)
            : headers.Count == 1 && headers[0] is { } value && value.StartsWith(BasicScheme, StringComparison.OrdinalIgnoreCase)
                ? await BasicAsync(http, value[BasicScheme.Length..].Trim(), resource, ct)
                : await BearerAsync(http, site, resource, ct);
        return outcome with { EndpointSite = site };
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
            new McpCaller(principal.UserId, user.IsServerAdmin, principal.Scopes, principal.SiteIds, principal.ClientId, AdapterEndpoint.Name),
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
