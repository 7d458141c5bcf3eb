using System.Text.Json.Serialization;

namespace PressMcp.Abilities;

/// <summary>
/// Source-generated serialization for ability results on the hot path (the reflection-based serializer builds its
/// metadata at first use and costs more per call). Abilities whose results are anonymous objects still use reflection.
/// </summary>
[JsonSerializable(typeof(Accounts.ProfileResult))]
[JsonSerializable(typeof(Content.Abilities.PostSearchResult))]
internal sealed partial class AbilityJson : JsonSerializerContext;
