using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using PressMcp.Abilities;
using PressMcp.OAuth;
using PressMcp.OAuth.Bearer;
using PressMcp.Sites;

namespace PressMcp.Mcp;

/// <summary>
/// Streamable HTTP for a stateless server, shared by every MCP endpoint: no session id, every POST stands alone,
/// so any instance can answer any request. The Origin and the credentials were checked by the endpoint's
/// authentication scheme (<see cref="McpAuthenticationHandler"/>) before this runs; then, in order: body size (decided by who calls: <see cref="McpLargeBody"/>), Accept, the body's JSON and its bounds
/// (<see cref="McpRequestBody"/>), JSON-RPC shape, then the revision's headers and <c>_meta</c> (<see cref="McpRequestCheck"/>);
/// then <see cref="McpDispatcher"/> with the endpoint's tools. A JSON-RPC batch goes to <see cref="McpBatch"/> on an
/// endpoint that takes them. An <c>Mcp-Session-Id</c> is the adapter endpoint's (<see cref="AdapterSession"/>, a
/// signed token, not memory); elsewhere it and <c>Last-Event-ID</c> are ignored: no stream is resumable.
/// </summary>
internal sealed class McpHttpTransport(McpDispatcher dispatcher)
{
    /// <summary>The body limit of endpoints that take no file; one that serves media/upload passes <c>MediaOptions.McpBodyLimit</c>.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>
    /// GET and DELETE: 405 with <c>Allow: POST</c> in every revision. 2025-06-18 and 2025-11-25 let a server that
    /// opens no stream of its own answer GET with 405 and a server without sessions answer DELETE with 405;
    /// 2026-07-28 removed both uses and says to answer them 405 (streamable-http "Earlier Streamable HTTP Revisions").
    /// </summary>
    public static IResult MethodNotAllowed(HttpContext http)
    {
        http.Response.Headers.Allow = "POST";
        return Results.StatusCode(StatusCodes.Status405MethodNotAllowed);
    }

    /// <param name="largeBody">What an endpoint that serves an upload accepts beyond <see cref="MaxBodyBytes"/>, from whom, for which call.</param>
    public async Task HandleAsync(HttpContext http, IMcpToolSet tools, McpLargeBody? largeBody = null)
    {
        var ct = http.RequestAborted;
        var auth = McpIdentity.Of(http);
        // Who may send more than the small limit is decided before a byte is read: only when the body is announced
        // larger (or not announced), and only a caller the endpoint lets send its large call.
        var maxBytes = MaxBodyBytes;
        if (largeBody is not null && largeBody.MaxBytes > MaxBodyBytes && http.Request.ContentLength is null or > MaxBodyBytes
            && await largeBody.MaySendAsync(auth.Caller, ct))
            maxBytes = largeBody.MaxBytes;
        // Kestrel's server-wide limit must not cut off a body this endpoint accepts; raised only for a caller who may send it.
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size && size.MaxRequestBodySize < maxBytes)
            size.MaxRequestBodySize = maxBytes;
        var body = await McpRequestBody.ReadAsync(http.Request, maxBytes, ct);
        if (body is not { } bytes)
        {
            await RefuseAsync(http, McpRequestBody.TooLarge(TooLargeMessage(maxBytes, largeBody)), null);
            return;
        }
        var accept = http.Request.Headers.Accept.ToString();
        if (accept.Length > 0 && !accept.Contains("application/json", StringComparison.OrdinalIgnoreCase)
            && !accept.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) && !accept.Contains("*/*", StringComparison.Ordinal))
        {
            await WriteAsync(http, JsonRpcMessage.Error(null, JsonRpcErrors.InvalidRequest, "Accept must include application/json or text/event-stream"), StatusCodes.Status406NotAcceptable);
            return;
        }
        if (McpRequestBody.Check(bytes) is { } refusal)
        {
            await RefuseAsync(http, refusal, null);
            return;
        }
        // Not copied: the document reads the body where it is, and the checks above bound its size.
        var document = JsonDocument.Parse(bytes.AsMemory());
        using (document)
        {
            if (document.RootElement.ValueKind == JsonValueKind.Array && tools.MaxBatchSize > 0)
            {
                // Only a single call may be large (an upload): a batch keeps the small limit.
                if (bytes.Count > MaxBodyBytes)
                    await RefuseAsync(http, McpRequestBody.TooLarge(TooLargeMessage(MaxBodyBytes, largeBody)), null);
                else
                    await McpBatch.HandleAsync(http, document.RootElement, dispatcher, tools, new McpContext(auth.Caller, auth.EndpointSite), PrefersSse(accept), ct);
                return;
            }
            var message = JsonRpcMessage.Parse(document.RootElement, out var error);
            if (message is null)
            {
                await WriteAsync(http, JsonRpcMessage.Error(null, error!.Value.Code, error.Value.Message), StatusCodes.Status400BadRequest);
                return;
            }
            if (bytes.Count > MaxBodyBytes && !largeBody!.IsFor(message))
            {
                await RefuseAsync(http, McpRequestBody.TooLarge(TooLargeMessage(MaxBodyBytes, largeBody)), message.Id);
                return;
            }
            var (revision, mismatch) = McpRequestCheck.Check(http.Request.Headers, message, tools.HandshakeVersions);
            if (mismatch is not null)
            {
                await WriteAsync(http, mismatch.Body, mismatch.Status);
                return;
            }
            switch (await dispatcher.DispatchAsync(message, revision!, new McpContext(auth.Caller, auth.EndpointSite), tools, ct))
            {
                case McpReply.Accepted:
                    http.Response.StatusCode = StatusCodes.Status202Accepted;
                    return;
                case McpReply.StepUp step:
                    await BearerChallenge.InsufficientScope(auth.Resource, step.Scopes).WriteAsync(http.Response);
                    return;
                case McpReply.ToolResult result:
                    await WriteAsync(http, null, result, StatusCodes.Status200OK, PrefersSse(accept));
                    return;
                case McpReply.Message reply:
                    await WriteAsync(http, reply.Body, reply.Status, preferSse: PrefersSse(accept));
                    return;
            }
        }
    }

    private static bool PrefersSse(string accept) =>
        !accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) && accept.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase);

    private static string TooLargeMessage(int maxBytes, McpLargeBody? largeBody) =>
        largeBody is { } large && large.MaxBytes > maxBytes
            ? $"the request body is larger than {maxBytes} bytes (only {large.Purpose} may be larger, up to {large.MaxBytes} bytes)"
            : $"the request body is larger than {maxBytes} bytes";

    private static Task RefuseAsync(HttpContext http, BodyRefusal refusal, JsonNode? id) =>
        WriteAsync(http, JsonRpcMessage.Error(id, refusal.Code, refusal.Message), refusal.Status);

    private static readonly byte[] SseStart = "event: message\ndata: "u8.ToArray();
    private static readonly byte[] SseEnd = "\n\n"u8.ToArray();

    /// <summary>
    /// JSON by default; a single SSE event when the client accepts only an event stream (the answer is complete
    /// at once, so there is nothing to stream). Written straight into the response pipe, no string in between.
    /// </summary>
    internal static Task WriteAsync(HttpContext http, JsonNode body, int status, bool preferSse = false) => WriteAsync(http, body, null, status, preferSse);

    /// <summary>Either a node tree (<paramref name="body"/>) or a tool's result written from its bytes (<paramref name="tool"/>).</summary>
    private static async Task WriteAsync(HttpContext http, JsonNode? body, McpReply.ToolResult? tool, int status, bool preferSse)
    {
        var response = http.Response;
        response.StatusCode = status;
        var pipe = response.BodyWriter;
        if (preferSse)
        {
            response.ContentType = "text/event-stream";
            // Proxies such as nginx would otherwise buffer the stream (streamable-http "Receiving Messages").
            response.Headers["X-Accel-Buffering"] = "no";
            pipe.Write(SseStart);
        }
        else
        {
            response.ContentType = "application/json";
        }
        using (var writer = new Utf8JsonWriter(pipe))
        {
            if (tool is not null) tool.WriteTo(writer);
            else body!.WriteTo(writer);
        }
        if (preferSse) pipe.Write(SseEnd);
        await pipe.FlushAsync(http.RequestAborted);
    }
}
