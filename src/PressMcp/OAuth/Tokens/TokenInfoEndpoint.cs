using PressMcp.OAuth.Grants;
using PressMcp.OAuth.Model;
using PressMcp.OAuth.Protocol;
using PressMcp.Sites;

namespace PressMcp.OAuth.Tokens;

/// <summary>
/// <c>POST /oauth2-1/token-info</c>: a client asks about its own token (the token in the body is the
/// credential). A live token answers its scope, client, expiry, resource and granted sites; anything else
/// answers only <c>{"active":false}</c> (RFC 7662 §2.2), without saying why.
/// </summary>
internal static class TokenInfoEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http, TokenStore tokens, GrantStore grants, SiteUrls urls, TimeProvider clock, CancellationToken ct)
    {
        var (form, formError) = await OAuthResponses.ReadFormAsync(http.Request, ct);
        if (form is null) return OAuthResponses.Error(http, formError!);
        var handle = form["token"].ToString();
        if (handle.Length == 0) return OAuthResponses.Error(http, new OAuthError(OAuthErrors.InvalidRequest, "the token parameter is missing"));

        var token = await tokens.FindAsync(handle, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var live = token is not null && token.RevokedUtc is null && token.ExpiresUtc > now && (token.Kind == TokenKind.Access || token.RotatedUtc is null);
        if (!live) return OAuthResponses.Json(http, new TokenInfoResponse { Active = false }, OAuthJson.Default.TokenInfoResponse);

        var info = new TokenInfoResponse
        {
            Active = true,
            Scope = token!.Scope,
            ClientId = token.ClientId,
            TokenType = token.Kind == TokenKind.Access ? "access_token" : "refresh_token",
            Exp = new DateTimeOffset(token.ExpiresUtc).ToUnixTimeSeconds(),
            Iat = new DateTimeOffset(token.CreatedUtc).ToUnixTimeSeconds(),
            Iss = urls.Public,
            Sub = token.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Aud = token.Resource,
            Resource = token.Resource,
            Sites = await grants.SitesOfAsync(token.GrantId, ct),
        };
        return OAuthResponses.Json(http, info, OAuthJson.Default.TokenInfoResponse);
    }
}
