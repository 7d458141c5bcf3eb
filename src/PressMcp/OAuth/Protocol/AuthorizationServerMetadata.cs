using System.Text.Json.Serialization;

namespace PressMcp.OAuth.Protocol;

/// <summary>RFC 8414 authorization server metadata (also served as <c>openid-configuration</c>).</summary>
internal sealed class AuthorizationServerMetadata
{
    [JsonPropertyName("issuer")] public required string Issuer { get; init; }
    [JsonPropertyName("authorization_endpoint")] public required string AuthorizationEndpoint { get; init; }
    [JsonPropertyName("token_endpoint")] public required string TokenEndpoint { get; init; }
    [JsonPropertyName("registration_endpoint")] public required string RegistrationEndpoint { get; init; }
    [JsonPropertyName("revocation_endpoint")] public required string RevocationEndpoint { get; init; }
    [JsonPropertyName("introspection_endpoint")] public required string IntrospectionEndpoint { get; init; }
    [JsonPropertyName("scopes_supported")] public required IReadOnlyList<string> ScopesSupported { get; init; }
    [JsonPropertyName("response_types_supported")] public required IReadOnlyList<string> ResponseTypesSupported { get; init; }
    [JsonPropertyName("response_modes_supported")] public required IReadOnlyList<string> ResponseModesSupported { get; init; }
    [JsonPropertyName("grant_types_supported")] public required IReadOnlyList<string> GrantTypesSupported { get; init; }
    [JsonPropertyName("token_endpoint_auth_methods_supported")] public required IReadOnlyList<string> TokenEndpointAuthMethodsSupported { get; init; }
    [JsonPropertyName("revocation_endpoint_auth_methods_supported")] public required IReadOnlyList<string> RevocationEndpointAuthMethodsSupported { get; init; }
    [JsonPropertyName("introspection_endpoint_auth_methods_supported")] public required IReadOnlyList<string> IntrospectionEndpointAuthMethodsSupported { get; init; }
    [JsonPropertyName("code_challenge_methods_supported")] public required IReadOnlyList<string> CodeChallengeMethodsSupported { get; init; }
    [JsonPropertyName("authorization_response_iss_parameter_supported")] public bool AuthorizationResponseIssParameterSupported { get; init; } = true;
    [JsonPropertyName("client_id_metadata_document_supported")] public bool ClientIdMetadataDocumentSupported { get; init; } = true;
    [JsonPropertyName("service_documentation")] public string? ServiceDocumentation { get; init; }
}
