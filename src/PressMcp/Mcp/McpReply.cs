using System.Text.Json;
using System.Text.Json.Nodes;
using PressMcp.Abilities;

namespace PressMcp.Mcp;

/// <summary>What the endpoint answers: a JSON-RPC message, 202 for a notification, or an OAuth step-up.</summary>
internal abstract record McpReply
{
    public sealed record Message(JsonObject Body, int Status = StatusCodes.Status200OK) : McpReply;

    /// <summary>
    /// A tool's successful result (HTTP 200), written by <see cref="WriteTo"/> straight from the bytes its serializer
    /// produced (<see cref="AbilityResultJson"/>), with no node tree in between: every tool call that succeeds answers
    /// this. The text block and <c>structuredContent</c> are the same JSON, as MCP asks of a tool with an output schema.
    /// </summary>
    public sealed record ToolResult(JsonNode? Id, AbilityResultJson Value) : McpReply
    {
        /// <summary>
        /// Set for a 2026-07-28 request (<see cref="McpDispatcher"/>): the result says it is complete and names the
        /// server in its <c>_meta</c> (basic/index "Per-response protocol fields"), these bytes being the server's identity.
        /// </summary>
        public byte[]? CompleteWithServerInfo { get; init; }

        /// <summary>The whole JSON-RPC response, members in the order a node tree of it had them.</summary>
        public void WriteTo(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            writer.WritePropertyName("id"u8);
            if (Id is null) writer.WriteNullValue();
            else Id.WriteTo(writer);
            writer.WriteStartObject("result"u8);
            writer.WriteStartArray("content"u8);
            writer.WriteStartObject();
            writer.WriteString("type"u8, "text"u8);
            // The JSON text as the serializer wrote it, escaped as a string by the writer's encoder.
            writer.WriteString("text"u8, Value.Utf8Json.Span);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WritePropertyName("structuredContent"u8);
            // Escaped with the default encoder, as this writer escapes (AbilityJson.IsAbilityOptions): copied as it is.
            writer.WriteRawValue(Value.Utf8Json.Span, skipInputValidation: true);
            writer.WriteBoolean("isError"u8, false);
            if (CompleteWithServerInfo is { } serverInfo)
            {
                writer.WriteString("resultType"u8, "complete"u8);
                writer.WriteStartObject(McpMeta.Key);
                writer.WritePropertyName(McpMeta.ServerInfo);
                writer.WriteRawValue(serverInfo, skipInputValidation: true);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
    }

    public sealed record Accepted : McpReply;

    /// <summary>The call needs scopes the token lacks: HTTP 403 insufficient_scope so the client can ask the user.</summary>
    public sealed record StepUp(IReadOnlyList<string> Scopes) : McpReply;

    public static Message Result(JsonRpcMessage request, JsonNode result) => new(JsonRpcMessage.Result(request.Id, result));

    /// <summary>A tool's successful result (<see cref="ToolResult"/>).</summary>
    public static ToolResult Tool(JsonRpcMessage request, AbilityResultJson value) => new(request.Id, value);

    /// <summary>A result a tool builds itself (the adapter's discovery, content authoring's WordPress.com shapes), as <see cref="Tool(JsonRpcMessage, AbilityResultJson)"/>.</summary>
    public static ToolResult Tool(JsonRpcMessage request, JsonObject value) => new(request.Id, AbilityResultJson.OfJson(RawJsonNode.Serialize(value)));

    public static Message Error(JsonRpcMessage request, int code, string message) => new(JsonRpcMessage.Error(request.Id, code, message));

    /// <summary>A JSON-RPC error with an HTTP status of its own (2026-07-28 gives several errors one) and optional data.</summary>
    public static Message Error(JsonRpcMessage request, int code, string message, int status, JsonNode? data = null) =>
        new(JsonRpcMessage.Error(request.Id, code, message, data), status);
}
