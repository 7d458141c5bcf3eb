using System.Text.Json;
using System.Text.Json.Nodes;
using PressMcp.OAuth;
using PressMcp.OAuth.Bearer;

namespace PressMcp.Tests.Infrastructure;

/// <summary>
/// TEST CODE ONLY: a minimal MCP endpoint protected by the real <see cref="BearerAuthenticator"/> at each site's
/// adapter path, so per-site resources can be tested before the real adapter endpoint exists (the
/// WordPress.com-style endpoint is the product's own, <c>Mcp/McpEndpoints</c>). It answers initialize, notifications/initialized (202),
/// tools/list (empty), test/whoami (the bearer principal) and tools/call (needs content:write, to exercise 403).
/// The lead replaces it with the real endpoints.
/// </summary>
public static class TestMcpEndpoint
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/sites/{slug}" + McpResources.AdapterPath, (HttpContext http, string slug, McpResources resources, BearerAuthenticator bearer) =>
            HandleAsync(http, resources.SiteEndpoint(slug), bearer));
    }

    private static async Task HandleAsync(HttpContext http, string resource, BearerAuthenticator bearer)
    {
        var auth = await bearer.AuthenticateAsync(http, resource);
        if (!auth.Succeeded)
        {
            await auth.Challenge!.WriteAsync(http.Response);
            return;
        }
        var principal = auth.Principal!;
        var request = await JsonNode.ParseAsync(http.Request.Body) as JsonObject ?? [];
        var method = request["method"]?.GetValue<string>();
        var id = request["id"]?.DeepClone();
        JsonNode? result;
        switch (method)
        {
            case "initialize":
                result = new JsonObject
                {
                    ["protocolVersion"] = request["params"]?["protocolVersion"]?.GetValue<string>() ?? "2025-06-18",
                    ["capabilities"] = new JsonObject { ["tools"] = new JsonObject() },
                    ["serverInfo"] = new JsonObject { ["name"] = "pressmcp-test", ["version"] = "0.0.0" },
                };
                break;
            case "notifications/initialized":
                http.Response.StatusCode = StatusCodes.Status202Accepted;
                return;
            case "tools/list":
                result = new JsonObject { ["tools"] = new JsonArray() };
                break;
            case "test/whoami":
                result = JsonSerializer.SerializeToNode(new
                {
                    userId = principal.UserId,
                    clientId = principal.ClientId,
                    grantId = principal.GrantId,
                    scopes = principal.Scopes.ToArray(),
                    sites = principal.SiteIds.ToArray(),
                    resource = principal.Resource,
                });
                break;
            case "tools/call" when !principal.HasScope("content:write"):
                await BearerChallenge.InsufficientScope(resource, ["content:write"]).WriteAsync(http.Response);
                return;
            case "tools/call":
                result = new JsonObject { ["content"] = new JsonArray() };
                break;
            default:
                // Anything else (e.g. a newer client's discovery request): JSON-RPC "method not found".
                await http.Response.WriteAsJsonAsync(new JsonObject
                {
                    ["jsonrpc"] = "2.0", ["id"] = id, ["error"] = new JsonObject { ["code"] = -32601, ["message"] = $"Method not found: {method}" },
                });
                return;
        }
        await http.Response.WriteAsJsonAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = result });
    }
}
