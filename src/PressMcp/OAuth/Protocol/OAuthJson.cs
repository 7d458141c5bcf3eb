using System.Text.Json.Serialization;

namespace PressMcp.OAuth.Protocol;

/// <summary>Every OAuth message goes through this one source-generated context.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(RegistrationResponse))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(TokenInfoResponse))]
[JsonSerializable(typeof(AuthorizationServerMetadata))]
[JsonSerializable(typeof(ProtectedResourceMetadata))]
internal sealed partial class OAuthJson : JsonSerializerContext;
