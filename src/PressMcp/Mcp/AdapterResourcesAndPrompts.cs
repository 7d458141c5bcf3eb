using System.Text.Json;
using System.Text.Json.Nodes;

namespace PressMcp.Mcp;

/// <summary>
/// The MCP Adapter's resources and prompts methods (its RequestRouter, ResourcesHandler and PromptsHandler, 0.5.0) on
/// the adapter endpoint. The adapter's default server exposes as resources and prompts the public abilities whose
/// meta says <c>mcp.type</c> <c>resource</c> or <c>prompt</c> (DefaultServerFactory); every PressMcp ability is a
/// tool (mcp-adapter-get-ability-info shows <c>meta.mcp</c> without a type, which the adapter reads as a tool), so
/// its default server here has none: both lists are empty, and a read or get of any name is "not found" exactly as
/// the adapter answers an unknown one. <c>initialize</c> still advertises both capabilities, as the adapter's always
/// does. <c>resources/templates/list</c> is not among the adapter's methods, so it stays "Method not found".
/// </summary>
internal static class AdapterResourcesAndPrompts
{
    /// <summary>The adapter's McpErrorFactory RESOURCE_NOT_FOUND, answered with HTTP 404.</summary>
    public const int ResourceNotFound = -32002;

    /// <summary>The adapter's McpErrorFactory PROMPT_NOT_FOUND, answered with HTTP 404.</summary>
    public const int PromptNotFound = -32004;

    /// <summary>The adapter's InitializeHandler capabilities: explicit <c>false</c>s, since nothing is ever notified.</summary>
    public static JsonObject Capabilities() => new()
    {
        ["prompts"] = new JsonObject { ["listChanged"] = false },
        ["resources"] = new JsonObject { ["subscribe"] = false, ["listChanged"] = false },
        ["tools"] = new JsonObject { ["listChanged"] = false },
    };

    /// <summary>The answer to one of the four methods, or null for any other method.</summary>
    public static McpReply? Answer(JsonRpcMessage request) => request.Method switch
    {
        "resources/list" => McpReply.Result(request, new JsonObject { ["resources"] = new JsonArray() }),
        "prompts/list" => McpReply.Result(request, new JsonObject { ["prompts"] = new JsonArray() }),
        "resources/read" => Read(request),
        "prompts/get" => Get(request),
        _ => null,
    };

    private static McpReply Read(JsonRpcMessage request)
    {
        // The adapter checks isset(uri): absent or null is a missing parameter; a value that is not text is read as "".
        var uri = request.Param("uri");
        if (uri.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return MissingParameter(request, "uri");
        var text = uri.ValueKind == JsonValueKind.String ? uri.DisplayText().Trim() : "";
        return McpReply.Error(request, ResourceNotFound, $"Resource not found: {text}", StatusCodes.Status404NotFound);
    }

    private static McpReply Get(JsonRpcMessage request)
    {
        var name = request.Param("name");
        if (name.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return MissingParameter(request, "name");
        // PHP's is_array: an object or an array passes; null counts as absent.
        if (request.Param("arguments").ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object or JsonValueKind.Array))
            return McpReply.Error(request, JsonRpcErrors.InvalidParams, "Invalid params: arguments must be an object");
        // The adapter casts the name to text: a number or a boolean is named by its JSON text.
        var text = name.ValueKind == JsonValueKind.String ? name.DisplayText().Trim() : name.GetRawText();
        return McpReply.Error(request, PromptNotFound, $"Prompt not found: {text}", StatusCodes.Status404NotFound);
    }

    // -32602 is an application-level error for the adapter (mcp_error_to_http_status): HTTP 200.
    private static McpReply MissingParameter(JsonRpcMessage request, string parameter) =>
        McpReply.Error(request, JsonRpcErrors.InvalidParams, $"Missing required parameter: {parameter}");
}
