using System.Text.Json.Serialization;

namespace PressMcp.OAuth.Protocol;

/// <summary>RFC 7591 §3.2.1 client information response: the registered metadata, never a secret.</summary>
internal sealed class RegistrationResponse
{
    [JsonPropertyName("client_id")] public required string ClientId { get; init; }
    [JsonPropertyName("client_id_issued_at")] public required long ClientIdIssuedAt { get; init; }
    [JsonPropertyName("client_name")] public required string ClientName { get; init; }
    [JsonPropertyName("redirect_uris")] public required IReadOnlyList<string> RedirectUris { get; init; }
    [JsonPropertyName("grant_types")] public required IReadOnlyList<string> GrantTypes { get; init; }
    [JsonPropertyName("response_types")] public required IReadOnlyList<string> ResponseTypes { get; init; }
    [JsonPropertyName("token_endpoint_auth_method")] public required string TokenEndpointAuthMethod { get; init; }
    [JsonPropertyName("application_type")] public required string ApplicationType { get; init; }
    [JsonPropertyName("scope")] public string? Scope { get; init; }
    [JsonPropertyName("client_uri")] public string? ClientUri { get; init; }
    [JsonPropertyName("logo_uri")] public string? LogoUri { get; init; }
}
