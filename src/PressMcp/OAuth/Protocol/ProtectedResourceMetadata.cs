using System.Text.Json.Serialization;

namespace PressMcp.OAuth.Protocol;

/// <summary>RFC 9728 protected resource metadata for one MCP endpoint.</summary>
internal sealed class ProtectedResourceMetadata
{
    [JsonPropertyName("resource")] public required string Resource { get; init; }
    [JsonPropertyName("authorization_servers")] public required IReadOnlyList<string> AuthorizationServers { get; init; }
    [JsonPropertyName("scopes_supported")] public required IReadOnlyList<string> ScopesSupported { get; init; }
    [JsonPropertyName("bearer_methods_supported")] public required IReadOnlyList<string> BearerMethodsSupported { get; init; }
    [JsonPropertyName("resource_name")] public required string ResourceName { get; init; }
}
