using System.Text.Json.Serialization;

namespace PressMcp.OAuth.Protocol;

/// <summary>RFC 6749 §5.2 and RFC 7591 §3.2.2 error body.</summary>
internal sealed class ErrorResponse
{
    [JsonPropertyName("error")] public required string Error { get; init; }
    [JsonPropertyName("error_description")] public string? ErrorDescription { get; init; }
}
