using PressMcp.OAuth.Clients;
using PressMcp.OAuth.Model;

namespace PressMcp.OAuth.Tokens;

/// <summary>
/// <c>POST /oauth2-1/revoke</c> (RFC 7009). A client may revoke only its own tokens; revoking a refresh token
/// ends its whole family (the access tokens issued with it too). Unknown tokens answer 200 as well, so the
/// endpoint tells nobody which tokens exist.
/// </summary>
internal static partial class RevokeEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http, ClientStore clients, TokenStore tokens, ILogger<TokenStore> logger, CancellationToken ct)
    {
        var (form, formError) = await OAuthResponses.ReadFormAsync(http.Request, ct);
        if (form is null) return OAuthResponses.Error(http, formError!);
        var handle = form["token"].ToString();
        if (handle.Length == 0) return OAuthResponses.Error(http, new OAuthError(OAuthErrors.InvalidRequest, "the token parameter is missing"));
        var clientId = form["client_id"].ToString();
        if (clientId.Length == 0) return OAuthResponses.Error(http, new OAuthError(OAuthErrors.InvalidRequest, "the client_id parameter is missing"));
        if (await clients.FindAsync(clientId, ct) is null)
            return OAuthResponses.Error(http, new OAuthError(OAuthErrors.InvalidClient, "the client_id is not registered with this server"), StatusCodes.Status401Unauthorized);

        var stored = await tokens.FindAsync(handle, ct);
        if (stored is null) LogUnknown(logger, clientId);
        else if (!string.Equals(stored.ClientId, clientId, StringComparison.Ordinal)) LogForeign(logger, clientId);
        else if (stored.Kind == TokenKind.Refresh) await tokens.RevokeFamilyAsync(stored.FamilyId, ct);
        else await tokens.RevokeAsync(stored.Hash, ct);
        OAuthResponses.NoStore(http.Response);
        return TypedResults.Ok();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Revocation by client {ClientId} of an unknown token")]
    private static partial void LogUnknown(ILogger logger, string clientId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {ClientId} tried to revoke another client's token: ignored")]
    private static partial void LogForeign(ILogger logger, string clientId);
}
