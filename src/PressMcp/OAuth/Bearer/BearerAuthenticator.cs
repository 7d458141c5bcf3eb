using Microsoft.EntityFrameworkCore;
using PressMcp.OAuth.Model;
using PressMcp.Storage;

namespace PressMcp.OAuth.Bearer;

/// <summary>
/// Authenticates a call to an MCP endpoint. The token comes only from the <c>Authorization: Bearer</c>
/// header (a token in the query string is ignored: URLs end up in logs and histories). It is looked up by
/// its SHA-256 hash; what the look-up found (the token, its grant, its user's server-admin flag, the grant's
/// sites) is kept in <see cref="BearerCache"/> for the current <see cref="AccessVersion"/> only, so a revocation,
/// a deleted grant or user, or a change of the grant's sites holds from the very next call on this instance and within SharedAccessVersion.MaxAge (1 s) on the others.
/// Expiry is checked against the clock on every call. A token is accepted only at the resource it was issued for
/// (RFC 8707), and only while its grant and its user exist and the user is not disabled.
/// </summary>
internal sealed partial class BearerAuthenticator(Deferred<PressDbContext> db, AccessVersion version, BearerCache cache, TimeProvider clock, ILogger<BearerAuthenticator> logger)
{
    /// <summary>How stale a grant's "last used" may get before a call writes it again.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<BearerResult> AuthenticateAsync(HttpContext http, string resourceUrl, CancellationToken ct = default)
    {
        var headers = http.Request.Headers.Authorization;
        if (headers.Count == 0) return new(null, BearerChallenge.Missing(resourceUrl));

        if (!TryReadBearer(headers, out var handle)) return Invalid(resourceUrl, "malformed Authorization header");

        var hash = Secrets.Hash(handle);
        var current = await version.CurrentAsync(ct);
        if (!cache.Tokens.TryGet(hash, current, out var found))
        {
            var row = await TokenByHash(db.Value, hash, ct);
            if (row is null) return Invalid(resourceUrl, "unknown access token");
            var sites = new HashSet<long>();
            await foreach (var site in GrantSites(db.Value, row.GrantId).WithCancellation(ct)) sites.Add(site);
            found = new CachedToken(row, sites, Scopes.Expand(row.Scope));
            cache.Tokens.Set(hash, current, found);
        }

        var token = found.Row;
        var now = clock.GetUtcNow().UtcDateTime;
        if (token.Kind != TokenKind.Access) return Invalid(resourceUrl, "unknown access token");
        if (token.RevokedUtc is not null) return Invalid(resourceUrl, "access token revoked");
        if (token.ExpiresUtc <= now) return Invalid(resourceUrl, "access token expired");
        if (!string.Equals(token.Resource, resourceUrl, StringComparison.Ordinal)) return Invalid(resourceUrl, "access token issued for another resource");
        if (!token.GrantExists) return Invalid(resourceUrl, "grant revoked");
        if (token.UserIsServerAdmin is not { } isServerAdmin) return Invalid(resourceUrl, "user no longer exists");
        if (token.UserDisabled) return Invalid(resourceUrl, "user disabled");

        if (found.GrantLastUsed.TryClaim(now, LastUsedResolution))
        {
            // Not an access change (the triggers leave this column out), so the cached entry stays valid.
            await db.Value.OAuthGrants.Where(g => g.Id == token.GrantId).ExecuteUpdateAsync(u => u.SetProperty(g => g.LastUsedUtc, now), ct);
            // The user's last sign-in (site/users), at the same rate; also outside the triggers.
            await db.Value.Users.Where(u => u.Id == token.UserId).ExecuteUpdateAsync(u => u.SetProperty(x => x.LastSignInUtc, now), ct);
        }

        return new(new BearerPrincipal(token.UserId, token.ClientId, token.GrantId, found.Scopes, found.Sites, token.Resource) { UserIsServerAdmin = isServerAdmin }, null);
    }

    /// <summary>What one call needs of its token, its grant and its user, read in one round trip.</summary>
    internal sealed record TokenRow(
        TokenKind Kind, DateTime? RevokedUtc, DateTime ExpiresUtc, string Resource, long UserId, string ClientId, string Scope,
        long GrantId, bool GrantExists, DateTime? GrantLastUsedUtc, bool? UserIsServerAdmin, bool UserDisabled);

    // Compiled: this runs on every MCP call, and EF Core's per-query work (expression tree, cache look-up) was a
    // measurable part of a trivial call. Left joins, so the log can still say which part is gone.
    private static readonly Func<PressDbContext, string, CancellationToken, Task<TokenRow?>> TokenByHash = EF.CompileAsyncQuery(
        (PressDbContext db, string hash, CancellationToken ct) =>
            (from t in db.OAuthTokens.AsNoTracking()
             where t.Hash == hash
             join g in db.OAuthGrants on t.GrantId equals g.Id into grants
             from g in grants.DefaultIfEmpty()
             join u in db.Users on t.UserId equals u.Id into users
             from u in users.DefaultIfEmpty()
             select new TokenRow(t.Kind, t.RevokedUtc, t.ExpiresUtc, t.Resource, t.UserId, t.ClientId, t.Scope,
                 t.GrantId, g != null, g != null ? g.LastUsedUtc : null, u != null ? u.IsServerAdmin : null, u != null && u.DisabledUtc != null))
            .FirstOrDefault());

    private static readonly Func<PressDbContext, long, IAsyncEnumerable<long>> GrantSites = EF.CompileAsyncQuery<PressDbContext, long, long>(
        (PressDbContext db, long grantId) => db.OAuthGrantSites.Where(s => s.GrantId == grantId).Select(s => s.SiteId));

    /// <summary>Exactly one header, scheme "Bearer" (any case), a token of the RFC 6750 b64token alphabet; read in place.</summary>
    private static bool TryReadBearer(Microsoft.Extensions.Primitives.StringValues headers, out ReadOnlySpan<char> token)
    {
        token = default;
        if (headers.Count != 1 || headers[0] is not { } value) return false;
        const string scheme = "Bearer ";
        if (!value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        var candidate = value.AsSpan(scheme.Length).Trim();
        if (candidate.Length is 0 or > 512) return false;
        foreach (var c in candidate)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '+' or '/' or '='))
                return false;
        token = candidate;
        return true;
    }

    private BearerResult Invalid(string resourceUrl, string reason)
    {
        LogRefused(logger, resourceUrl, reason);
        return new(null, BearerChallenge.InvalidToken(resourceUrl));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bearer token refused at {Resource}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string resource, string reason);
}

/// <summary>A token as the last look-up found it, with its grant's sites and its expanded scopes.</summary>
internal sealed class CachedToken(BearerAuthenticator.TokenRow row, IReadOnlySet<long> sites, IReadOnlySet<string> scopes)
{
    public BearerAuthenticator.TokenRow Row { get; } = row;
    /// <summary>The grant's sites, one set shared by every call of the cached token (never changed after it is read).</summary>
    public IReadOnlySet<long> Sites { get; } = sites;
    public IReadOnlySet<string> Scopes { get; } = scopes;

    /// <summary>The grant's "last used" as read, then as this instance wrote it, to write it at most once a minute.</summary>
    public LastUsedStamp GrantLastUsed { get; } = new(row.GrantLastUsedUtc);
}

/// <summary>Tokens by their SHA-256 hash (never by value), each valid for one access version.</summary>
internal sealed class BearerCache
{
    public VersionedCache<string, CachedToken> Tokens { get; } = new(capacity: 10_000);
}
