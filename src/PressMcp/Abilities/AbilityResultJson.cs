using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PressMcp.Abilities;

/// <summary>
/// A successful ability's result as its source-generated serializer wrote it: UTF-8 JSON, serialized once. A reply writes
/// these bytes as they are (the structured result, and the same text as the text block), so the MCP path never parses
/// what it has just serialized; <see cref="Element"/> parses them only for a reader that navigates the result (a page,
/// content authoring's WordPress.com shapes, the tests' output-schema checks).
/// </summary>
internal sealed class AbilityResultJson
{
    private readonly byte[] _utf8Json;
    private JsonElement? _element;

    private AbilityResultJson(byte[] utf8Json) => _utf8Json = utf8Json;

    /// <summary>
    /// <paramref name="value"/> written by <paramref name="info"/>, whose options are the abilities' (<see cref="AbilityJson.IsAbilityOptions"/>:
    /// the default encoder, the one the reply's writer escapes with, so copying these bytes into a reply writes what
    /// re-writing them token by token would).
    /// </summary>
    public static AbilityResultJson Of<T>(T value, JsonTypeInfo<T> info) => new(JsonSerializer.SerializeToUtf8Bytes(value, info));

    /// <summary>UTF-8 JSON that a JSON writer produced (for results an endpoint builds itself, such as the adapter's).</summary>
    public static AbilityResultJson OfJson(byte[] utf8Json) => new(utf8Json);

    /// <summary>The JSON text as the serializer wrote it.</summary>
    public ReadOnlyMemory<byte> Utf8Json => _utf8Json;

    /// <summary>The result as an element, parsed on first use (a request reads it on one thread).</summary>
    public JsonElement Element => _element ??= JsonElement.Parse(_utf8Json);
}
