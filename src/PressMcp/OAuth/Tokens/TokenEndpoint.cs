using PressMcp.OAuth.Clients;
using PressMcp.OAuth.Protocol;
using PressMcp.Observability;

namespace PressMcp.OAuth.Tokens;

/// <summary>
/// <c>POST /oauth2-1/token</c>. Parse the form → validate the client (public: its client_id in the body) →
/// hand the grant to <see cref="AuthorizationCodeGrant"/> or <see cref="RefreshTokenGrant"/> → answer the
/// token pair with <c>Cache-Control: no-store</c>, or an RFC 6749 §5.2 error.
///   1. ValidateForm       application/x-www-form-urlencoded, no parameter twice
///   2. ValidateGrantType  present
///   3. ValidateClient     client_id present and registered (invalid_client, 401)
///   4. ValidateSupported  authorization_code or refresh_token
/// </summary>
internal static partial class TokenEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext http, ClientStore clients, AuthorizationCodeGrant codes, RefreshTokenGrant refreshes, ILogger<TokenStore> logger, CancellationToken ct)
    {
        var (form, formError) = await OAuthResponses.ReadFormAsync(http.Request, ct);
        if (form is null) return Refuse(http, logger, "", formError!);

        var grantType = form["grant_type"].ToString();
        if (grantType.Length == 0) return Refuse(http, logger, grantType, new OAuthError(OAuthErrors.InvalidRequest, "the grant_type parameter is missing"));
        var clientId = form["client_id"].ToString();
        if (clientId.Length == 0) return Refuse(http, logger, grantType, new OAuthError(OAuthErrors.InvalidRequest, "the client_id parameter is missing (public clients send it in the body)"));
        if (await clients.FindAsync(clientId, ct) is null)
            return Refuse(http, logger, grantType, new OAuthError(OAuthErrors.InvalidClient, "the client_id is not registered with this server"), StatusCodes.Status401Unauthorized);

        var (response, error) = grantType switch
        {
            "authorization_code" => await codes.ExchangeAsync(form, clientId, ct),
            "refresh_token" => await refreshes.RefreshAsync(form, clientId, ct),
            _ => (null, new OAuthError(OAuthErrors.UnsupportedGrantType, $"grant_type '{grantType}' is not supported (use authorization_code or refresh_token)")),
        };
        if (error is not null) return Refuse(http, logger, grantType, error);
        LogIssued(logger, clientId, grantType);
        PressMetrics.TokenIssued(grantType);
        return OAuthResponses.Json(http, response!, OAuthJson.Default.TokenResponse);
    }

    /// <param name="grantType">As the client sent it ("" before the form is read); the metric keeps only the two we serve.</param>
    private static IResult Refuse(HttpContext http, ILogger logger, string grantType, OAuthError error, int status = StatusCodes.Status400BadRequest)
    {
        LogRefused(logger, error.Code, error.LogReason);
        PressMetrics.TokenRefused(grantType, error.Code);
        return OAuthResponses.Error(http, error, status);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tokens issued to client {ClientId} ({GrantType})")]
    private static partial void LogIssued(ILogger logger, string clientId, string grantType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Token request refused ({Error}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string error, string reason);
}
