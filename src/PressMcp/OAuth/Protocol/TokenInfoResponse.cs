using System.Text.Json.Serialization;

namespace PressMcp.OAuth.Protocol;

/// <summary>What <c>/oauth2-1/token-info</c> says about a token (RFC 7662 members, plus the granted sites).</summary>
internal sealed class TokenInfoResponse
{
    [JsonPropertyName("active")] public required bool Active { get; init; }
    [JsonPropertyName("scope")] public string? Scope { get; init; }
    [JsonPropertyName("client_id")] public string? ClientId { get; init; }
    [JsonPropertyName("token_type")] public string? TokenType { get; init; }
    [JsonPropertyName("exp")] public long? Exp { get; init; }
    [JsonPropertyName("iat")] public long? Iat { get; init; }
    [JsonPropertyName("iss")] public string? Iss { get; init; }
    [JsonPropertyName("sub")] public string? Sub { get; init; }
    [JsonPropertyName("aud")] public string? Aud { get; init; }
    [JsonPropertyName("resource")] public string? Resource { get; init; }
    [JsonPropertyName("sites")] public IReadOnlyList<long>? Sites { get; init; }
}
