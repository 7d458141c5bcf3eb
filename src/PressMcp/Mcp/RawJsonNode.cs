using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace PressMcp.Mcp;

/// <summary>
/// A node of a reply that is already JSON: written as it is when the reply is written, never parsed into a
/// node tree. For what is the same on every request (a tool's listing, the server's identity) and for a tool's result
/// message in a batch (<see cref="McpReply.ToolResult"/>). The node is opaque: it can be written, not navigated.
/// </summary>
internal static class RawJsonNode
{
    // A resolver is required to configure a type info, though these two never ask it for anything.
    private static readonly JsonSerializerOptions Options = new() { TypeInfoResolver = JsonTypeInfoResolver.Combine() };

    private static readonly JsonTypeInfo<Utf8Json> Utf8Info = JsonMetadataServices.CreateValueInfo<Utf8Json>(Options, new Utf8Converter());
    private static readonly JsonTypeInfo<McpReply.ToolResult> ToolResultInfo = JsonMetadataServices.CreateValueInfo<McpReply.ToolResult>(Options, new ToolResultConverter());

    /// <summary>UTF-8 JSON that was produced by a JSON writer (not checked again).</summary>
    public static JsonNode Of(byte[] utf8Json) => JsonValue.Create(new Utf8Json(utf8Json), Utf8Info)!;

    /// <summary>A tool's result message as a node, for a batch's array: written by <see cref="McpReply.ToolResult.WriteTo"/>, as when it is answered alone.</summary>
    public static JsonNode Of(McpReply.ToolResult reply) => JsonValue.Create(reply, ToolResultInfo)!;

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

    private sealed class ToolResultConverter : JsonConverter<McpReply.ToolResult>
    {
        public override McpReply.ToolResult Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, McpReply.ToolResult value, JsonSerializerOptions options) => value.WriteTo(writer);
    }
}
