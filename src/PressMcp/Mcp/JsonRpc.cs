using System.Text.Json;
using System.Text.Json.Nodes;

namespace PressMcp.Mcp;

/// <summary>JSON-RPC 2.0 error codes as MCP uses them.</summary>
internal static class JsonRpcErrors
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;
}

/// <summary>One incoming JSON-RPC message: a request (has an id), a notification (no id) or a client's response.</summary>
internal sealed record JsonRpcMessage(JsonNode? Id, string? Method, JsonElement Params, bool IsResponse)
{
    public bool IsNotification => Method is not null && Id is null;

    /// <summary>Parses one message; returns null with the JSON-RPC error to answer when it is not one.</summary>
    public static JsonRpcMessage? Parse(JsonElement root, out (int Code, string Message)? error)
    {
        error = null;
        if (root.ValueKind == JsonValueKind.Array)
        {
            error = (JsonRpcErrors.InvalidRequest, "batches are not supported (MCP 2025-06-18 and later send one message per request)");
            return null;
        }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.TextOrNull() != "2.0")
        {
            error = (JsonRpcErrors.InvalidRequest, "not a JSON-RPC 2.0 message (\"jsonrpc\": \"2.0\" is required)");
            return null;
        }
        JsonNode? id = null;
        if (root.TryGetProperty("id", out var idElement))
        {
            if (idElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
            {
                error = (JsonRpcErrors.InvalidRequest, "id must be a string or a number");
                return null;
            }
            id = IdOf(idElement);
            if (id is null)
            {
                error = (JsonRpcErrors.InvalidRequest, "id " + ClientJson.NotText);
                return null;
            }
        }
        if (root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _))
            return new JsonRpcMessage(id, null, default, IsResponse: true);
        if (!root.TryGetProperty("method", out var methodElement) || methodElement.ValueKind != JsonValueKind.String)
        {
            error = (JsonRpcErrors.InvalidRequest, "method is required");
            return null;
        }
        if (!methodElement.TryGetText(out var method))
        {
            error = (JsonRpcErrors.InvalidRequest, "method " + ClientJson.NotText);
            return null;
        }
        var parameters = root.TryGetProperty("params", out var p) ? p : default;
        if (parameters.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Object))
        {
            error = (JsonRpcErrors.InvalidRequest, "params must be an object");
            return null;
        }
        return new JsonRpcMessage(id, method, parameters, IsResponse: false);
    }

    /// <summary>
    /// The id as a node without re-parsing its text: ids are nearly always integers or strings. Null for a string
    /// that is not text, which cannot be echoed back.
    /// </summary>
    private static JsonNode? IdOf(JsonElement id) =>
        id.ValueKind == JsonValueKind.String ? id.TryGetText(out var text) ? JsonValue.Create(text) : null
        : id.TryGetInt64(out var n) ? JsonValue.Create(n)
        : JsonNode.Parse(id.GetRawText())!;

    /// <summary>The named member of params, or default when params is absent or has no such member.</summary>
    public JsonElement Param(string name) =>
        Params.ValueKind == JsonValueKind.Object && Params.TryGetProperty(name, out var value) ? value : default;

    public static JsonObject Result(JsonNode? id, JsonNode result) => new() { ["jsonrpc"] = "2.0", ["id"] = id?.DeepClone(), ["result"] = result };

    public static JsonObject Error(JsonNode? id, int code, string message, JsonNode? data = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (data is not null) error["data"] = data;
        return new() { ["jsonrpc"] = "2.0", ["id"] = id?.DeepClone(), ["error"] = error };
    }
}
