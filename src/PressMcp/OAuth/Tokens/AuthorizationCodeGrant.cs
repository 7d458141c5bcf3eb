using Microsoft.AspNetCore.Http;
using PressMcp.OAuth.Grants;
using PressMcp.OAuth.Model;
using PressMcp.OAuth.Protocol;

namespace PressMcp.OAuth.Tokens;

/// <summary>
/// <c>grant_type=authorization_code</c> (RFC 6749 §4.1.3, RFC 7636 §4.6), rules in order:
///   1. ValidateParameters   code, redirect_uri and code_verifier present
///   2. ValidateCodeExists   the code's hash is known
///   3. ValidateNotReplayed  a code presented again is refused and every token issued from it revoked
///   4. ValidateNotExpired   at most ten minutes old
///   5. ValidateClient       issued to this client
///   6. ValidateRedirectUri  the same redirect URI as the authorization request
///   7. ValidateCodeVerifier S256 of the verifier equals the challenge (constant time)
///   8. ValidateResource     if given, the resource the code was issued for
///   9. Redeem               marked used once (a lost race is a replay)
/// </summary>
internal sealed partial class AuthorizationCodeGrant(TokenStore tokens, GrantStore grants, TimeProvider clock, ILogger<AuthorizationCodeGrant> logger)
{
    private static readonly OAuthError BadCode = new(OAuthErrors.InvalidGrant, "the authorization code is invalid, expired, already used, or was issued for another request");

    public async Task<(TokenResponse? Response, OAuthError? Error)> ExchangeAsync(IFormCollection form, string clientId, CancellationToken ct)
    {
        string code = form["code"].ToString(), redirectUri = form["redirect_uri"].ToString(), verifier = form["code_verifier"].ToString();
        if (code.Length == 0) return Fail(OAuthErrors.InvalidRequest, "the code parameter is missing");
        if (redirectUri.Length == 0) return Fail(OAuthErrors.InvalidRequest, "the redirect_uri parameter is missing");
        if (verifier.Length == 0) return Fail(OAuthErrors.InvalidRequest, "the code_verifier parameter is missing (PKCE is required)");
        if (!Secrets.IsPkceValue(verifier)) return Refuse("code_verifier is not 43-128 characters of the PKCE alphabet");

        var stored = await tokens.FindCodeAsync(code, ct);
        if (stored is null) return Refuse("unknown authorization code");
        if (stored.RedeemedUtc is not null) return await ReplayAsync(stored, ct);
        if (stored.ExpiresUtc <= clock.GetUtcNow().UtcDateTime) return Refuse("authorization code expired");
        if (!string.Equals(stored.ClientId, clientId, StringComparison.Ordinal)) return Refuse("authorization code was issued to another client");
        if (!string.Equals(stored.RedirectUri, redirectUri, StringComparison.Ordinal)) return Refuse("redirect_uri differs from the authorization request");
        if (!Secrets.VerifiesChallenge(verifier, stored.CodeChallenge)) return Refuse("code_verifier does not match the code_challenge");

        var resource = form["resource"].ToString();
        if (resource.Length > 0 && !string.Equals(resource, stored.Resource, StringComparison.Ordinal))
            return (null, new OAuthError(OAuthErrors.InvalidTarget, "the resource differs from the one the code was issued for"));

        if (!await tokens.TryRedeemCodeAsync(stored.Hash, ct)) return await ReplayAsync(stored, ct);
        var facts = new TokenGrantFacts(stored.FamilyId, stored.GrantId, stored.ClientId, stored.UserId, stored.Scope, stored.Resource);
        return (await tokens.IssuePairAsync(facts, parentHash: null, ct), null);
    }

    /// <summary>RFC 6749 §4.1.2: a code used twice means someone else holds it; revoke what it produced.</summary>
    private async Task<(TokenResponse?, OAuthError?)> ReplayAsync(OAuthCode stored, CancellationToken ct)
    {
        var revoked = await tokens.RevokeFamilyAsync(stored.FamilyId, ct);
        LogReplay(logger, stored.GrantId, revoked);
        await grants.RecordEventAsync(stored.GrantId, "An authorization code was used twice: every token issued from it was ended.", ct);
        return Refuse("authorization code replayed");
    }

    private (TokenResponse?, OAuthError?) Refuse(string reason) => (null, BadCode with { LogReason = reason });

    private static (TokenResponse?, OAuthError?) Fail(string code, string description) => (null, new OAuthError(code, description));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authorization code replayed for grant {GrantId}: {Revoked} tokens revoked")]
    private static partial void LogReplay(ILogger logger, long grantId, int revoked);
}
