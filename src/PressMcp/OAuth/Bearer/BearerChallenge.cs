using PressMcp.OAuth.Protocol;

namespace PressMcp.OAuth.Bearer;

/// <summary>
/// A refusal of an MCP call, with the <c>WWW-Authenticate</c> header that tells the client what to do
/// (RFC 6750 §3, RFC 9728 §5.1): where the resource's metadata is and which scopes to ask for.
/// </summary>
internal sealed record BearerChallenge(int Status, string WwwAuthenticate, string? Error, string? Description)
{
    /// <summary>No token: 401 naming the metadata and the scope to ask for (no error code, RFC 6750 §3.1).</summary>
    public static BearerChallenge Missing(string resourceUrl) =>
        new(StatusCodes.Status401Unauthorized, $"Bearer resource_metadata=\"{McpResources.MetadataUrlFor(resourceUrl)}\", scope=\"{Scopes.Auth}\"", null, null);

    /// <summary>A bad, expired, revoked or foreign token: 401 <c>invalid_token</c>.</summary>
    public static BearerChallenge InvalidToken(string resourceUrl) =>
        new(StatusCodes.Status401Unauthorized,
            $"Bearer error=\"{OAuthErrors.InvalidToken}\", error_description=\"The access token is invalid, expired or revoked\", resource_metadata=\"{McpResources.MetadataUrlFor(resourceUrl)}\"",
            OAuthErrors.InvalidToken, "The access token is invalid, expired or revoked");

    /// <summary>A valid token without the scopes a call needs: 403 <c>insufficient_scope</c> naming them.</summary>
    public static BearerChallenge InsufficientScope(string resourceUrl, IEnumerable<string> requiredScopes)
    {
        var scope = string.Join(' ', requiredScopes);
        return new(StatusCodes.Status403Forbidden,
            $"Bearer error=\"{OAuthErrors.InsufficientScope}\", scope=\"{scope}\", resource_metadata=\"{McpResources.MetadataUrlFor(resourceUrl)}\"",
            OAuthErrors.InsufficientScope, $"This call needs the scope: {scope}");
    }

    public async Task WriteAsync(HttpResponse response)
    {
        response.StatusCode = Status;
        response.Headers.WWWAuthenticate = WwwAuthenticate;
        response.Headers.CacheControl = "no-store";
        if (Error is null) return;
        await response.WriteAsJsonAsync(new ErrorResponse { Error = Error, ErrorDescription = Description }, OAuthJson.Default.ErrorResponse);
    }
}

/// <summary>Either the caller or the challenge to answer with.</summary>
internal sealed record BearerResult(BearerPrincipal? Principal, BearerChallenge? Challenge)
{
    public bool Succeeded => Principal is not null;
}
