using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PressMcp.OAuth.Grants;
using PressMcp.OAuth.Model;
using PressMcp.OAuth.Protocol;

namespace PressMcp.OAuth.Tokens;

/// <summary>
/// <c>grant_type=refresh_token</c> (RFC 6749 §6, OAuth 2.1 §4.3.1) with rotation, rules in order:
///   1. ValidateParameters  refresh_token present
///   2. ValidateTokenExists a refresh token with this hash
///   3. ValidateNotRevoked  and not revoked
///   4. ValidateNotExpired  and not expired
///   5. ValidateClient      issued to this client, for an account that is not disabled
///   6. ValidateScope       a narrower scope may be asked for, never a wider one
///   7. ValidateResource    if given, the token's resource
///   8. Rotate              the token is replaced once. Presented again within the grace period, before any
///                          successor was used, it yields another pair of the same family (concurrent
///                          refreshes). Any other reuse means a copy exists: the whole family is revoked.
/// </summary>
internal sealed partial class RefreshTokenGrant(TokenStore tokens, GrantStore grants, Storage.PressDbContext db, TimeProvider clock, IOptions<OAuthOptions> options, ILogger<RefreshTokenGrant> logger)
{
    private static readonly OAuthError BadToken = new(OAuthErrors.InvalidGrant, "the refresh token is invalid, expired or revoked");

    public async Task<(TokenResponse? Response, OAuthError? Error)> RefreshAsync(IFormCollection form, string clientId, CancellationToken ct)
    {
        var handle = form["refresh_token"].ToString();
        if (handle.Length == 0) return (null, new OAuthError(OAuthErrors.InvalidRequest, "the refresh_token parameter is missing"));

        var stored = await tokens.FindAsync(handle, ct);
        if (stored is null || stored.Kind != TokenKind.Refresh) return Refuse("unknown refresh token");
        if (stored.RevokedUtc is not null) return Refuse("refresh token revoked");
        var now = clock.GetUtcNow().UtcDateTime;
        if (stored.ExpiresUtc <= now) return Refuse("refresh token expired");
        if (!string.Equals(stored.ClientId, clientId, StringComparison.Ordinal)) return Refuse("refresh token was issued to another client");
        // A disabled account gets no new tokens (its existing ones are refused at every call already).
        if (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Users, u => u.Id == stored.UserId && u.DisabledUtc != null, ct))
            return Refuse("the account is disabled");

        var scope = stored.Scope;
        if (form.ContainsKey("scope"))
        {
            var requested = Scopes.Parse(form["scope"]);
            if (Scopes.FirstUnknown(requested) is { } unknown) return (null, new OAuthError(OAuthErrors.InvalidScope, $"unknown scope '{unknown}'"));
            var narrowed = Scopes.Normalize(requested);
            if (narrowed.Length > 0)
            {
                if (!Scopes.IsWithin(narrowed, stored.Scope))
                    return (null, new OAuthError(OAuthErrors.InvalidScope, "a refresh may narrow the scope, never widen it"));
                scope = narrowed;
            }
        }
        var resource = form["resource"].ToString();
        if (resource.Length > 0 && !string.Equals(resource, stored.Resource, StringComparison.Ordinal))
            return (null, new OAuthError(OAuthErrors.InvalidTarget, "the resource differs from the one the refresh token was issued for"));

        if (!await tokens.TryRotateAsync(stored.Hash, ct))
        {
            // Already replaced. Re-read: the winner of a race has just set RotatedUtc.
            var current = await tokens.FindAsync(handle, ct);
            var withinGrace = current?.RotatedUtc is { } rotated && now - rotated <= options.Value.RefreshReuseGrace;
            if (current is null || current.RevokedUtc is not null) return Refuse("refresh token revoked");
            if (!withinGrace || await tokens.SuccessorUsedAsync(stored.Hash, ct)) return await ReuseDetectedAsync(stored, ct);
            LogGrace(logger, stored.GrantId);
        }
        var facts = new TokenGrantFacts(stored.FamilyId, stored.GrantId, stored.ClientId, stored.UserId, scope, stored.Resource);
        return (await tokens.IssuePairAsync(facts, stored.Hash, ct), null);
    }

    private async Task<(TokenResponse?, OAuthError?)> ReuseDetectedAsync(OAuthToken stored, CancellationToken ct)
    {
        var revoked = await tokens.RevokeFamilyAsync(stored.FamilyId, ct);
        LogReuse(logger, stored.GrantId, revoked);
        await grants.RecordEventAsync(stored.GrantId, "Refresh token reuse detected: all tokens of this connection were ended. The app must connect again.", ct);
        return Refuse("replaced refresh token reused");
    }

    private static (TokenResponse?, OAuthError?) Refuse(string reason) => (null, BadToken with { LogReason = reason });

    [LoggerMessage(Level = LogLevel.Information, Message = "Replaced refresh token of grant {GrantId} presented within the grace period: new pair issued")]
    private static partial void LogGrace(ILogger logger, long grantId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refresh token reuse for grant {GrantId}: {Revoked} tokens of the family revoked")]
    private static partial void LogReuse(ILogger logger, long grantId, int revoked);
}
