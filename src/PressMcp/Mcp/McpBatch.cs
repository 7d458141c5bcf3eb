using System.Text.Json;
using System.Text.Json.Nodes;

namespace PressMcp.Mcp;

/// <summary>
/// A JSON-RPC batch (JSON-RPC 2.0 §6), on an endpoint that takes them (<see cref="IMcpToolSet.MaxBatchSize"/>: the
/// adapter's, as WordPress's MCP Adapter answers them). Each member is decided exactly as if it had come alone: its
/// own shape check, revision check and dispatch, so permission, validation and the activity log apply per call. The
/// answer is an array of the requests' replies in their order; notifications and client responses get none, and a
/// batch of nothing else is answered 202 with no body. Members run one after another: they may depend on each other,
/// and one request holds one database context. A member's HTTP status (the adapter's 404 for an unknown tool) does
/// not apply: the batch's answer is 200.
/// </summary>
internal static class McpBatch
{
    public static async Task HandleAsync(HttpContext http, JsonElement batch, McpDispatcher dispatcher, IMcpToolSet tools, McpContext context, bool preferSse, CancellationToken ct)
    {
        var count = batch.GetArrayLength();
        if (count == 0)
        {
            await McpHttpTransport.WriteAsync(http, JsonRpcMessage.Error(null, JsonRpcErrors.InvalidRequest, "Invalid Request: the batch is empty"), StatusCodes.Status400BadRequest);
            return;
        }
        if (count > tools.MaxBatchSize)
        {
            await McpHttpTransport.WriteAsync(http, JsonRpcMessage.Error(null, JsonRpcErrors.InvalidRequest,
                $"Invalid Request: a batch may hold at most {tools.MaxBatchSize} messages; this one holds {count} (send the rest in another request)"),
                StatusCodes.Status400BadRequest);
            return;
        }
        var replies = new JsonArray();
        foreach (var member in batch.EnumerateArray())
        {
            if (await ReplyToAsync(member, http.Request.Headers, dispatcher, tools, context, ct) is { } reply) replies.Add(reply);
        }
        if (replies.Count == 0)
        {
            http.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }
        await McpHttpTransport.WriteAsync(http, replies, StatusCodes.Status200OK, preferSse);
    }

    private static async Task<JsonNode?> ReplyToAsync(JsonElement member, IHeaderDictionary headers, McpDispatcher dispatcher, IMcpToolSet tools, McpContext context, CancellationToken ct)
    {
        if (member.ValueKind != JsonValueKind.Object)
            return JsonRpcMessage.Error(null, JsonRpcErrors.InvalidRequest, "Invalid Request: each member of a batch must be a JSON-RPC message (an object)");
        var message = JsonRpcMessage.Parse(member, out var error);
        if (message is null) return JsonRpcMessage.Error(null, error!.Value.Code, error.Value.Message);
        var (revision, mismatch) = McpRequestCheck.Check(headers, message, tools.HandshakeVersions);
        if (mismatch is not null) return mismatch.Body;
        return await dispatcher.DispatchAsync(message, revision!, context, tools, ct) switch
        {
            McpReply.Message reply => reply.Body,
            // Written by the same code as when it is answered alone, in its place in the array.
            McpReply.ToolResult tool => RawJsonNode.Of(tool),
            // A step-up is an HTTP answer (403 with a challenge) and cannot be one member's: the call says what is missing.
            McpReply.StepUp step => JsonRpcMessage.Error(message.Id, AdapterTools.AbilityFailed,
                $"Ability execution failed: the access token lacks the scope(s) {string.Join(" ", step.Scopes)}; send this call alone to be asked for them"),
            _ => null,
        };
    }
}
