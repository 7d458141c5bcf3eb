using PressMcp.OAuth.Clients;

namespace PressMcp.OAuth.Authorization;

/// <summary>How a refused authorization request is answered.</summary>
internal enum RefusalKind
{
    /// <summary>The client or redirect URI cannot be trusted: show an error page, never redirect.</summary>
    ErrorPage,
    /// <summary>Redirect to the client with <c>error</c>, <c>state</c> and <c>iss</c>.</summary>
    Redirect,
}

internal sealed record AuthorizationRefusal(RefusalKind Kind, OAuthError Error, string? RedirectUri, string? State);

/// <summary>
/// The rules of <c>/oauth2-1/authorize</c>, in order. The first two decide whether the client can be
/// answered at all; after them every refusal is a redirect. Runs on the GET and again on the consent POST,
/// so nothing in the form's hidden fields is trusted.
///   1. ValidateClient          known client, or a metadata document that holds up
///   2. ValidateRedirectUri     present, and registered (exactly; loopback on any port)
///   3. ValidateNoRepeats       no parameter twice
///   4. ValidateResponseType    present, and "code"
///   5. ValidateCodeChallenge   present, 43–128 characters of the PKCE alphabet
///   6. ValidateChallengeMethod S256 (plain is refused)
///   7. ValidateState           at most 1000 characters
///   8. ValidateScope           known scopes, within what the client registered
///   9. ValidateResource        one of this server's MCP endpoints
/// </summary>
internal sealed class AuthorizationValidator(ClientStore clients, McpResources resources)
{
    public const int MaxStateLength = 1000;

    public async Task<(ValidAuthorization? Request, AuthorizationRefusal? Refusal)> ValidateAsync(AuthorizationParameters p, CancellationToken ct)
    {
        if (p.IsRepeated("client_id")) return Page(OAuthErrors.InvalidRequest, "the client_id parameter is repeated");
        var (client, clientError) = await clients.FindForAuthorizationAsync(p["client_id"], ct);
        if (client is null) return Page(clientError!.Code, clientError.Description);

        var redirectUri = p["redirect_uri"];
        if (p.IsRepeated("redirect_uri")) return Page(OAuthErrors.InvalidRequest, "the redirect_uri parameter is repeated");
        if (string.IsNullOrEmpty(redirectUri)) return Page(OAuthErrors.InvalidRequest, "the redirect_uri parameter is missing");
        if (!RedirectUris.MatchesAny(client.RedirectUriList, redirectUri))
            return Page(OAuthErrors.InvalidRequest, "the redirect_uri is not one this client registered");

        var state = p["state"];
        AuthorizationRefusal Redirect(string code, string description) =>
            new(RefusalKind.Redirect, new OAuthError(code, description), redirectUri, state is { Length: <= MaxStateLength } ? state : null);

        if (p.FirstRepeated() is { } repeated) return (null, Redirect(OAuthErrors.InvalidRequest, $"the {repeated} parameter is repeated"));

        var responseType = p["response_type"];
        if (string.IsNullOrEmpty(responseType)) return (null, Redirect(OAuthErrors.InvalidRequest, "the response_type parameter is missing"));
        if (responseType != ClientMetadataReader.Code)
            return (null, Redirect(OAuthErrors.UnsupportedResponseType, $"response_type '{responseType}' is not supported (use 'code')"));

        var challenge = p["code_challenge"];
        if (string.IsNullOrEmpty(challenge)) return (null, Redirect(OAuthErrors.InvalidRequest, "code_challenge is required (PKCE with S256)"));
        if (!Secrets.IsPkceValue(challenge))
            return (null, Redirect(OAuthErrors.InvalidRequest, "code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~"));
        if (p["code_challenge_method"] != "S256")
            return (null, Redirect(OAuthErrors.InvalidRequest, "code_challenge_method must be S256 (plain is not accepted)"));

        if (state is { Length: > MaxStateLength }) return (null, Redirect(OAuthErrors.InvalidRequest, $"state is longer than {MaxStateLength} characters"));

        var requested = Scopes.Parse(p["scope"]);
        if (Scopes.FirstUnknown(requested) is { } unknown) return (null, Redirect(OAuthErrors.InvalidScope, $"unknown scope '{unknown}'"));
        var scope = Scopes.Normalize(requested);
        if (scope.Length == 0) scope = client.Scope is { Length: > 0 } registered ? Scopes.Normalize(Scopes.Parse(registered)) : Scopes.Auth;
        if (client.Scope is { Length: > 0 } allowed && !Scopes.IsWithin(scope, allowed))
            return (null, Redirect(OAuthErrors.InvalidScope, "the scope asks for more than the client registered"));

        var resourceUrl = p["resource"];
        var resource = string.IsNullOrEmpty(resourceUrl) ? new McpResource(resources.Wpcom, null) : await resources.ResolveAsync(resourceUrl, ct);
        if (resource is null) return (null, Redirect(OAuthErrors.InvalidTarget, "the resource is not an MCP endpoint of this server"));

        return (new ValidAuthorization(client, redirectUri, state, scope, resource, challenge), null);
    }

    private static (ValidAuthorization?, AuthorizationRefusal?) Page(string code, string description) =>
        (null, new AuthorizationRefusal(RefusalKind.ErrorPage, new OAuthError(code, description), null, null));
}
