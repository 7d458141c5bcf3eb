using System.Text.Json;
using System.Text.Json.Nodes;
using PressMcp.Abilities;
using PressMcp.OAuth;
using PressMcp.OAuth.Bearer;
using PressMcp.Sites;

namespace PressMcp.Mcp;

/// <summary>
/// Who an MCP request comes from, or how to refuse it. <see cref="Resource"/> is the endpoint's protected-resource
/// URL, for the step-up challenge.
/// </summary>
internal sealed record McpAuthentication(McpCaller? Caller, Func<HttpResponse, Task>? Refuse, string Resource)
{
    public static McpAuthentication Refused(Func<HttpResponse, Task> refuse, string resource) => new(null, refuse, resource);
}

/// <summary>
/// Streamable HTTP for a stateless server, shared by every MCP endpoint: no session id, every POST stands alone,
/// so any instance can answer any request. Checks in order: Origin, authentication (the endpoint's own),
/// body size, Accept, MCP-Protocol-Version, JSON-RPC shape; then <see cref="McpDispatcher"/> with the endpoint's
/// tools. GET and DELETE answer 405 (no server-initiated stream, no session to end).
/// </summary>
internal sealed class McpHttpTransport(OriginPolicy origins, McpDispatcher dispatcher)
{
    /// <summary>The body limit of endpoints that take no file; one that serves media/upload passes <c>MediaOptions.McpBodyLimit</c>.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public static IResult MethodNotAllowed(HttpContext http)
    {
        http.Response.Headers.Allow = "POST";
        return Results.StatusCode(StatusCodes.Status405MethodNotAllowed);
    }

    public async Task HandleAsync(HttpContext http, Func<CancellationToken, Task<McpAuthentication>> authenticate, IMcpToolSet tools, Site? endpointSite,
        int maxBodyBytes = MaxBodyBytes)
    {
        var ct = http.RequestAborted;
        http.Response.Headers.CacheControl = "no-store";
        if (!origins.IsAllowed(http.Request))
        {
            // DNS rebinding protection (MCP transport spec): a browser page of another origin may not call us.
            await WriteAsync(http, JsonRpcMessage.Error(null, JsonRpcErrors.InvalidRequest, "origin not allowed"), StatusCodes.Status403Forbidden);
            return;
        }
        var auth = await authenticate(ct);
        if (auth.Caller is null)
        {
            await auth.Refuse!(http.Response);
            return;
        }
        // Kestrel's server-wide limit must not cut off a body this endpoint accepts; raised only for an authenticated caller.
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size && size.MaxRequestBodySize < maxBodyBytes)
            size.MaxRequestBodySize = maxBodyBytes;
        if (http.Request.ContentLength > maxBodyBytes)
        {
            await WriteAsync(http, JsonRpcMessage.Error(null, JsonRpcErrors.InvalidRequest, $"the request body is larger than {maxBodyBytes} bytes"), StatusCodes.Status413PayloadTooLarge);
            return;
        }
        var accept = http.Request.Headers.Accept.ToString();
        if (accept.Length > 0 && !accept.Contains("application/json", StringComparison.OrdinalIgnoreCase)
            && !accept.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) && !accept.Contains("*/*", StringComparison.Ordinal))
        {
            await WriteAsync(http, JsonRpcMessage.Error(null, JsonRpcErrors.InvalidRequest, "Accept must include application/json or text/event-stream"), StatusCodes.Status406NotAcceptable);
            return;
        }
        var version = http.Request.Headers["MCP-Protocol-Version"].ToString();
        if (version.Length > 0 && !McpDispatcher.SupportedVersions.Contains(version))
        {
            await WriteAsync(http, JsonRpcMessage.Error(null, JsonRpcErrors.InvalidRequest,
                $"unsupported MCP-Protocol-Version '{version}' (supported: {string.Join(", ", McpDispatcher.SupportedVersions)})"), StatusCodes.Status400BadRequest);
            return;
        }

        var body = await BoundedRead.ReadAsync(http.Request.Body, maxBodyBytes, ct);
        if (body is null)
        {
            await WriteAsync(http, JsonRpcMessage.Error(null, JsonRpcErrors.InvalidRequest, $"the request body is larger than {maxBodyBytes} bytes"), StatusCodes.Status413PayloadTooLarge);
            return;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            await WriteAsync(http, JsonRpcMessage.Error(null, JsonRpcErrors.ParseError, "the body is not valid JSON"), StatusCodes.Status400BadRequest);
            return;
        }
        using (document)
        {
            var message = JsonRpcMessage.Parse(document.RootElement, out var error);
            if (message is null)
            {
                await WriteAsync(http, JsonRpcMessage.Error(null, error!.Value.Code, error.Value.Message), StatusCodes.Status400BadRequest);
                return;
            }
            switch (await dispatcher.DispatchAsync(message, new McpContext(auth.Caller, endpointSite), tools, ct))
            {
                case McpReply.Accepted:
                    http.Response.StatusCode = StatusCodes.Status202Accepted;
                    return;
                case McpReply.StepUp step:
                    await BearerChallenge.InsufficientScope(auth.Resource, step.Scopes).WriteAsync(http.Response);
                    return;
                case McpReply.Message reply:
                    await WriteAsync(http, reply.Body, reply.Status, preferSse: !accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) && accept.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase));
                    return;
            }
        }
    }

    /// <summary>JSON by default; a single SSE event when the client accepts only an event stream.</summary>
    private static async Task WriteAsync(HttpContext http, JsonObject body, int status, bool preferSse = false)
    {
        http.Response.StatusCode = status;
        var json = body.ToJsonString();
        if (preferSse)
        {
            http.Response.ContentType = "text/event-stream";
            await http.Response.WriteAsync($"event: message\ndata: {json}\n\n", http.RequestAborted);
            return;
        }
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(json, http.RequestAborted);
    }
}
