using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PressMcp.Abilities;

/// <summary>
/// How ability input and output are serialized: source-generated, snake_case as WordPress's JSON, constructor
/// parameters required and nullable annotations kept (so the generated schemas say what is required and what may be
/// null). Each ability file has a context of its own with these options (so adding an ability stays one file);
/// <see cref="Ability"/> refuses at start-up a type serialized otherwise. An input member with a default other than
/// its type's has a setter, not <c>init</c>: the generated code sets every init-only member, absent ones to
/// <c>default</c>, which would lose the initializer.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(NoInput))]
internal sealed partial class AbilityJson : JsonSerializerContext
{
    public const JsonKnownNamingPolicy Naming = JsonKnownNamingPolicy.SnakeCaseLower;

    /// <summary>
    /// Whether <paramref name="options"/> are the ones every ability type must be serialized with. The default encoder
    /// too: an MCP reply copies a result's bytes as they are (<see cref="AbilityResultJson"/>), and only when they were escaped
    /// as the reply's writer escapes is that what writing the result token by token through the reply's writer gave.
    /// </summary>
    public static bool IsAbilityOptions(System.Text.Json.JsonSerializerOptions options) =>
        options.PropertyNamingPolicy == System.Text.Json.JsonNamingPolicy.SnakeCaseLower && options.RespectRequiredConstructorParameters && options.RespectNullableAnnotations
        && options.Encoder is null;
}

/// <summary>The input of an ability that takes none (besides the site, for a site-scoped one).</summary>
internal sealed record NoInput;
