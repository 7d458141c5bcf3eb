using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace PressMcp.Mcp;

/// <summary>
/// A node of a reply that is already JSON: written as it is when the reply is written, never parsed into a
/// node tree. For what is the same on every request (a tool's listing, the server's identity) and for values
/// that arrive as a <see cref="JsonElement"/> (a tool's structured result). The node is opaque: it can be
/// written, not navigated. <c>JsonValue.Create(JsonElement)</c> refuses objects and arrays, hence this.
/// </summary>
internal static class RawJsonNode
{
    // A resolver is required to configure a type info, though these two never ask it for anything.
    private static readonly JsonSerializerOptions Options = new() { TypeInfoResolver = JsonTypeInfoResolver.Combine() };

    private static readonly JsonTypeInfo<Utf8Json> Utf8Info = JsonMetadataServices.CreateValueInfo<Utf8Json>(Options, new Utf8Converter());
    private static readonly JsonTypeInfo<Element> ElementInfo = JsonMetadataServices.CreateValueInfo<Element>(Options, new ElementConverter());
    private static readonly JsonTypeInfo<TextContent> TextContentInfo = JsonMetadataServices.CreateValueInfo<TextContent>(Options, new TextContentConverter());

    /// <summary>UTF-8 JSON that was produced by a JSON writer (not checked again).</summary>
    public static JsonNode Of(byte[] utf8Json) => JsonValue.Create(new Utf8Json(utf8Json), Utf8Info)!;

    /// <summary>The element, written with <see cref="JsonElement.WriteTo"/>; its document must outlive the reply.</summary>
    public static JsonNode Of(JsonElement element) => JsonValue.Create(new Element(element), ElementInfo)!;

    /// <summary>
    /// A tool result's <c>content</c>: one text block holding <paramref name="value"/>'s JSON as a string, written from the
    /// element's own bytes (the same output as a node tree with <c>GetRawText()</c>, without the tree and the string).
    /// </summary>
    public static JsonNode TextContentOf(JsonElement value) => JsonValue.Create(new TextContent(value), TextContentInfo)!;

    /// <summary>Serializes a node once, for <see cref="Of(byte[])"/>.</summary>
    public static byte[] Serialize(JsonNode node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) node.WriteTo(writer);
        return buffer.WrittenSpan.ToArray();
    }

    private sealed record Utf8Json(byte[] Bytes);

    private sealed class Utf8Converter : JsonConverter<Utf8Json>
    {
        public override Utf8Json Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, Utf8Json value, JsonSerializerOptions options) => writer.WriteRawValue(value.Bytes, skipInputValidation: true);
    }

    // Boxed: JsonValue.Create treats a bare JsonElement specially and refuses objects and arrays.
    private sealed record Element(JsonElement Value);

    private sealed class ElementConverter : JsonConverter<Element>
    {
        public override Element Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, Element value, JsonSerializerOptions options) => value.Value.WriteTo(writer);
    }

    private sealed record TextContent(JsonElement Value);

    private sealed class TextContentConverter : JsonConverter<TextContent>
    {
        public override TextContent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, TextContent value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            writer.WriteStartObject();
            writer.WriteString("type"u8, "text"u8);
            // The element's JSON as the document holds it, escaped as a string by the writer's encoder.
            writer.WriteString("text"u8, System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value.Value));
            writer.WriteEndObject();
            writer.WriteEndArray();
        }
    }
}
