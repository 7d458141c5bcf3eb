using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace PressMcp.Mcp;

/// <summary>
/// A node of a reply that is already JSON: written as it is when the reply is written, never parsed into a
/// node tree. For what is the same on every request (a tool's listing, the server's identity) and for a tool's result,
/// which arrives serialized (<see cref="Abilities.AbilityResultJson"/>). The node is opaque: it can be written, not navigated.
/// </summary>
internal static class RawJsonNode
{
    // A resolver is required to configure a type info, though these two never ask it for anything.
    private static readonly JsonSerializerOptions Options = new() { TypeInfoResolver = JsonTypeInfoResolver.Combine() };

    private static readonly JsonTypeInfo<Utf8Json> Utf8Info = JsonMetadataServices.CreateValueInfo<Utf8Json>(Options, new Utf8Converter());
    private static readonly JsonTypeInfo<TextContent> TextContentInfo = JsonMetadataServices.CreateValueInfo<TextContent>(Options, new TextContentConverter());

    /// <summary>UTF-8 JSON that was produced by a JSON writer (not checked again).</summary>
    public static JsonNode Of(ReadOnlyMemory<byte> utf8Json) => JsonValue.Create(new Utf8Json(utf8Json), Utf8Info)!;

    /// <summary>
    /// A tool result's <c>content</c>: one text block holding the JSON <paramref name="utf8Json"/> as a string (escaped by
    /// the reply's writer), written from the bytes as they are: no node tree, no string.
    /// </summary>
    public static JsonNode TextContentOf(ReadOnlyMemory<byte> utf8Json) => JsonValue.Create(new TextContent(utf8Json), TextContentInfo)!;

    /// <summary>Serializes a node once, for <see cref="Of"/>.</summary>
    public static byte[] Serialize(JsonNode node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) node.WriteTo(writer);
        return buffer.WrittenSpan.ToArray();
    }

    // Boxed: a node holds a reference type (and JsonValue.Create treats some value types specially).
    private sealed record Utf8Json(ReadOnlyMemory<byte> Bytes);

    private sealed class Utf8Converter : JsonConverter<Utf8Json>
    {
        public override Utf8Json Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, Utf8Json value, JsonSerializerOptions options) => writer.WriteRawValue(value.Bytes.Span, skipInputValidation: true);
    }

    private sealed record TextContent(ReadOnlyMemory<byte> Json);

    private sealed class TextContentConverter : JsonConverter<TextContent>
    {
        public override TextContent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, TextContent value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            writer.WriteStartObject();
            writer.WriteString("type"u8, "text"u8);
            // The JSON text as the serializer wrote it, escaped as a string by the writer's encoder.
            writer.WriteString("text"u8, value.Json.Span);
            writer.WriteEndObject();
            writer.WriteEndArray();
        }
    }
}
