using System.Text.Json.Nodes;

namespace PressMcp.Mcp;

/// <summary>What the endpoint answers: a JSON-RPC message, 202 for a notification, or an OAuth step-up.</summary>
internal abstract record McpReply
{
    public sealed record Message(JsonObject Body, int Status = StatusCodes.Status200OK) : McpReply;

    public sealed record Accepted : McpReply;

    /// <summary>The call needs scopes the token lacks: HTTP 403 insufficient_scope so the client can ask the user.</summary>
    public sealed record StepUp(IReadOnlyList<string> Scopes) : McpReply;

    public static Message Result(JsonRpcMessage request, JsonNode result) => new(JsonRpcMessage.Result(request.Id, result));

    public static Message Error(JsonRpcMessage request, int code, string message) => new(JsonRpcMessage.Error(request.Id, code, message));

    /// <summary>A JSON-RPC error with an HTTP status of its own (2026-07-28 gives several errors one) and optional data.</summary>
    public static Message Error(JsonRpcMessage request, int code, string message, int status, JsonNode? data = null) =>
        new(JsonRpcMessage.Error(request.Id, code, message, data), status);
}
