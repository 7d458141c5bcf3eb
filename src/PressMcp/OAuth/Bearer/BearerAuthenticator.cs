using Microsoft.EntityFrameworkCore;
using PressMcp.OAuth.Model;
using PressMcp.Storage;

namespace PressMcp.OAuth.Bearer;

/// <summary>
/// Authenticates a call to an MCP endpoint. The token comes only from the <c>Authorization: Bearer</c>
/// header (a token in the query string is ignored: URLs end up in logs and histories). It is looked up by
/// its SHA-256 hash on every call, without a cache, so a revocation holds from the very next call on every
/// instance. A token is accepted only at the resource it was issued for (RFC 8707).
/// </summary>
internal sealed partial class BearerAuthenticator(PressDbContext db, TimeProvider clock, ILogger<BearerAuthenticator> logger)
{
    /// <summary>How stale a grant's "last used" may get before a call writes it again.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<BearerResult> AuthenticateAsync(HttpContext http, string resourceUrl, CancellationToken ct = default)
    {
        var headers = http.Request.Headers.Authorization;
        if (headers.Count == 0) return new(null, BearerChallenge.Missing(resourceUrl));

        var handle = ReadBearer(headers);
        if (handle is null) return Invalid(resourceUrl, "malformed Authorization header");

        var hash = Secrets.Hash(handle);
        var token = await db.OAuthTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Hash == hash, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (token is null || token.Kind != TokenKind.Access) return Invalid(resourceUrl, "unknown access token");
        if (token.RevokedUtc is not null) return Invalid(resourceUrl, "access token revoked");
        if (token.ExpiresUtc <= now) return Invalid(resourceUrl, "access token expired");
        if (!string.Equals(token.Resource, resourceUrl, StringComparison.Ordinal)) return Invalid(resourceUrl, "access token issued for another resource");

        var grant = await db.OAuthGrants.AsNoTracking().FirstOrDefaultAsync(g => g.Id == token.GrantId, ct);
        if (grant is null) return Invalid(resourceUrl, "grant revoked");
        var sites = await db.OAuthGrantSites.Where(s => s.GrantId == grant.Id).Select(s => s.SiteId).OrderBy(id => id).ToListAsync(ct);
        if (grant.LastUsedUtc is null || now - grant.LastUsedUtc > LastUsedResolution)
            await db.OAuthGrants.Where(g => g.Id == grant.Id).ExecuteUpdateAsync(u => u.SetProperty(g => g.LastUsedUtc, now), ct);

        return new(new BearerPrincipal(token.UserId, token.ClientId, grant.Id, Scopes.Expand(token.Scope), sites, token.Resource), null);
    }

    /// <summary>Exactly one header, scheme "Bearer" (any case), a token of the RFC 6750 b64token alphabet.</summary>
    private static string? ReadBearer(Microsoft.Extensions.Primitives.StringValues headers)
    {
        if (headers.Count != 1 || headers[0] is not { } value) return null;
        const string scheme = "Bearer ";
        if (!value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return null;
        var token = value[scheme.Length..].Trim();
        return token.Length is > 0 and <= 512 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '+' or '/' or '=')
            ? token
            : null;
    }

    private BearerResult Invalid(string resourceUrl, string reason)
    {
        LogRefused(logger, resourceUrl, reason);
        return new(null, BearerChallenge.InvalidToken(resourceUrl));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bearer token refused at {Resource}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string resource, string reason);
}
