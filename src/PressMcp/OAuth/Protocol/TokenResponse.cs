using System.Text.Json.Serialization;

namespace PressMcp.OAuth.Protocol;

/// <summary>RFC 6749 §5.1 successful token response.</summary>
internal sealed class TokenResponse
{
    [JsonPropertyName("access_token")] public required string AccessToken { get; init; }
    [JsonPropertyName("token_type")] public string TokenType { get; init; } = "Bearer";
    [JsonPropertyName("expires_in")] public required long ExpiresIn { get; init; }
    [JsonPropertyName("refresh_token")] public required string RefreshToken { get; init; }
    [JsonPropertyName("scope")] public required string Scope { get; init; }
}
