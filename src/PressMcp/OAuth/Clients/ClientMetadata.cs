using System.Text.Json;

namespace PressMcp.OAuth.Clients;

/// <summary>Validated client metadata (RFC 7591 §2), from a registration request or a Client ID Metadata Document.</summary>
internal sealed record ClientMetadata(
    string? Name,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> GrantTypes,
    IReadOnlyList<string> ResponseTypes,
    string? Scope,
    string ApplicationType,
    string? ClientUri,
    string? LogoUri,
    string? ClientId);

/// <summary>
/// Reads client metadata, one named rule at a time, stopping at the first failure with the RFC 7591 error
/// code and a description that says what was wrong. Registration and metadata documents share the rules;
/// they differ only in which token endpoint authentication methods they may name.
/// Every string is bounded (anyone may register, and what is kept must stay small) and must be valid text
/// without control or invisible formatting characters: a name or address shown on the consent page must read as
/// what it is (no bidirectional override turning "moc.evil" around, no zero-width joiner, no line break), and
/// JSON that escapes a lone surrogate (<c>"\ud800"</c>) or carries invalid UTF-8 is refused, never a 500.
/// </summary>
internal static class ClientMetadataReader
{
    public const int MaxRedirectUris = 10;
    /// <summary>Each URI: redirect URIs, client_uri, logo_uri. Real clients use well under 100 characters.</summary>
    public const int MaxUriLength = 512;
    public const int MaxNameLength = 100;
    public const int MaxScopeLength = 1000;
    public const string AuthorizationCode = "authorization_code";
    public const string RefreshToken = "refresh_token";
    public const string Code = "code";

    /// <summary>Public clients only. Clients that ask for a secret get "none" in the answer and use PKCE.</summary>
    private static readonly HashSet<string> RegistrationAuthMethods = ["none", "client_secret_post", "client_secret_basic"];

    /// <summary>A metadata document must not rely on a shared secret; private_key_jwt clients are served as public clients.</summary>
    private static readonly HashSet<string> DocumentAuthMethods = ["none", "private_key_jwt"];

    public static (ClientMetadata? Metadata, OAuthError? Error) Read(JsonElement root, bool isDocument)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return Fail(OAuthErrors.InvalidClientMetadata, "the body must be a JSON object of client metadata");
        // Every look-up by name below decodes the member names it passes, and one with an unpaired surrogate escape
        // (or bytes that are not UTF-8) throws there: refuse such a name first.
        foreach (var member in root.EnumerateObject())
            if (!Mcp.ClientJson.HasTextName(member))
                return Fail(OAuthErrors.InvalidClientMetadata, "a member name is not valid text (invalid UTF-8, or an unpaired surrogate escape)");

        var (redirects, error) = ReadRedirectUris(root);
        if (error is not null) return (null, error);
        if ((error = CheckAuthMethod(root, isDocument)) is not null) return (null, error);
        if (isDocument && root.TryGetProperty("client_secret", out _))
            return Fail(OAuthErrors.InvalidClientMetadata, "a client metadata document must not contain a client_secret");

        var (_, grantError) = ReadStringSet(root, "grant_types", [AuthorizationCode, RefreshToken], [AuthorizationCode]);
        if (grantError is not null) return (null, grantError);
        var (responses, responseError) = ReadStringSet(root, "response_types", [Code], [Code]);
        if (responseError is not null) return (null, responseError);

        var (scope, scopeError) = ReadString(root, "scope", MaxScopeLength);
        if (scopeError is not null) return (null, scopeError);
        if (scope is not null && Scopes.FirstUnknown(Scopes.Parse(scope)) is { } unknown)
            return Fail(OAuthErrors.InvalidClientMetadata, $"unknown scope '{unknown}' (supported: {string.Join(' ', Scopes.Supported)})");

        var (appType, appError) = ReadString(root, "application_type", 16);
        if (appError is not null) return (null, appError);
        if (appType is not (null or "web" or "native"))
            return Fail(OAuthErrors.InvalidClientMetadata, $"application_type '{appType}' is not 'web' or 'native'");

        var (name, nameError) = ReadString(root, "client_name", MaxNameLength);
        if (nameError is not null) return (null, nameError);
        var (clientUri, clientUriError) = ReadHttpsUrl(root, "client_uri");
        if (clientUriError is not null) return (null, clientUriError);
        var (logoUri, logoError) = ReadHttpsUrl(root, "logo_uri");
        if (logoError is not null) return (null, logoError);
        var (clientId, idError) = ReadString(root, "client_id", Model.OAuthColumns.ClientIdLength);
        if (idError is not null) return (null, idError);

        // The server always issues refresh tokens, so it answers with both grants whatever was asked.
        return (new ClientMetadata(name?.Trim(), redirects!, [AuthorizationCode, RefreshToken], responses!, scope is null ? null : string.Join(' ', Scopes.Parse(scope)),
            appType ?? (redirects!.All(RedirectUris.IsLoopback) ? "native" : "web"), clientUri, logoUri, clientId), null);
    }

    private static (IReadOnlyList<string>?, OAuthError?) ReadRedirectUris(JsonElement root)
    {
        if (!root.TryGetProperty("redirect_uris", out var value) || value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
            return (null, new OAuthError(OAuthErrors.InvalidRedirectUri, "redirect_uris must be a non-empty array of URIs"));
        if (value.GetArrayLength() > MaxRedirectUris)
            return (null, new OAuthError(OAuthErrors.InvalidRedirectUri, $"at most {MaxRedirectUris} redirect_uris may be registered"));
        var list = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) return (null, new OAuthError(OAuthErrors.InvalidRedirectUri, "every redirect URI must be a string"));
            if (CheckText(item, "redirect_uris", MaxUriLength, out var uri) is { } textProblem) return (null, new OAuthError(OAuthErrors.InvalidRedirectUri, textProblem));
            if (RedirectUris.Validate(uri) is { } problem) return (null, new OAuthError(OAuthErrors.InvalidRedirectUri, problem));
            if (!list.Contains(uri)) list.Add(uri);
        }
        return (list, null);
    }

    private static OAuthError? CheckAuthMethod(JsonElement root, bool isDocument)
    {
        var (method, error) = ReadString(root, "token_endpoint_auth_method", 64);
        if (error is not null) return error;
        var allowed = isDocument ? DocumentAuthMethods : RegistrationAuthMethods;
        return method is null || allowed.Contains(method)
            ? null
            : new OAuthError(OAuthErrors.InvalidClientMetadata, $"token_endpoint_auth_method '{method}' is not supported (this server has public clients only: use 'none' with PKCE)");
    }

    private static (IReadOnlyList<string>?, OAuthError?) ReadStringSet(JsonElement root, string name, string[] allowed, string[] fallback)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return (fallback, null);
        if (value.ValueKind != JsonValueKind.Array) return (null, new OAuthError(OAuthErrors.InvalidClientMetadata, $"{name} must be an array of strings"));
        var list = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) return (null, new OAuthError(OAuthErrors.InvalidClientMetadata, $"{name} must be an array of strings"));
            if (CheckText(item, name, 64, out var s) is { } problem) return (null, new OAuthError(OAuthErrors.InvalidClientMetadata, problem));
            if (!allowed.Contains(s))
                return (null, new OAuthError(OAuthErrors.InvalidClientMetadata, $"{name} value '{s}' is not supported (supported: {string.Join(", ", allowed)})"));
            if (!list.Contains(s)) list.Add(s);
        }
        return (list.Count == 0 ? fallback : list, null);
    }

    private static (string?, OAuthError?) ReadString(JsonElement root, string name, int maxLength)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return (null, null);
        if (value.ValueKind != JsonValueKind.String) return (null, new OAuthError(OAuthErrors.InvalidClientMetadata, $"{name} must be a string"));
        return CheckText(value, name, maxLength, out var s) is { } problem ? (null, new OAuthError(OAuthErrors.InvalidClientMetadata, problem)) : (s, null);
    }

    /// <summary>
    /// A JSON string as text, or what is wrong with it: invalid UTF-8 or an escaped lone surrogate (checked by the one
    /// reader of client text, <see cref="Mcp.ClientJson"/>), too long, or hiding characters.
    /// </summary>
    private static string? CheckText(JsonElement value, string name, int maxLength, out string text)
    {
        text = "";
        if (!Mcp.ClientJson.TryGetText(value, out var decoded))
            return $"{name} is not valid text (invalid UTF-8, or an unpaired surrogate escape)";
        text = decoded;
        if (text.Length > maxLength) return $"{name} is longer than {maxLength} characters";
        return Web.TextRules.FirstHidden(text) is { } hidden
            ? $"{name} contains a control or invisible formatting character ({hidden}), which could make it read as something else"
            : null;
    }

    private static (string?, OAuthError?) ReadHttpsUrl(JsonElement root, string name)
    {
        var (s, error) = ReadString(root, name, MaxUriLength);
        if (error is not null || s is null) return (s, error);
        return Uri.TryCreate(s, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            ? (s, null)
            : (null, new OAuthError(OAuthErrors.InvalidClientMetadata, $"{name} '{s}' is not an https URL"));
    }

    private static (ClientMetadata?, OAuthError?) Fail(string code, string description) => (null, new OAuthError(code, description));
}
