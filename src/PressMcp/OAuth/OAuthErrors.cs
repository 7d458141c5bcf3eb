namespace PressMcp.OAuth;

/// <summary>The error codes of RFC 6749 §4.1.2.1 and §5.2, RFC 7591 §3.2.2, RFC 8707 and RFC 6750 §3.1.</summary>
internal static class OAuthErrors
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidClient = "invalid_client";
    public const string InvalidGrant = "invalid_grant";
    public const string UnauthorizedClient = "unauthorized_client";
    public const string UnsupportedGrantType = "unsupported_grant_type";
    public const string UnsupportedResponseType = "unsupported_response_type";
    public const string InvalidScope = "invalid_scope";
    public const string InvalidTarget = "invalid_target";
    public const string AccessDenied = "access_denied";
    public const string ServerError = "server_error";
    public const string InvalidRedirectUri = "invalid_redirect_uri";
    public const string InvalidClientMetadata = "invalid_client_metadata";
    public const string InvalidToken = "invalid_token";
    public const string InsufficientScope = "insufficient_scope";
}

/// <summary>
/// A refused protocol request, as data. <see cref="Description"/> is safe to send to the client;
/// <see cref="LogReason"/> is the precise rule that failed, for the log only.
/// </summary>
internal sealed record OAuthError(string Code, string Description, string LogReason)
{
    public OAuthError(string code, string description) : this(code, description, description) { }
}
