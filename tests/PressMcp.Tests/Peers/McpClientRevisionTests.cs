using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;

namespace PressMcp.Tests.Peers;

/// <summary>
/// The official MCP C# client (ModelContextProtocol 2.3.1), forced to each protocol revision, against the real
/// server after the real OAuth flow (dynamic registration, consent posted as alice, PKCE, state and iss checked
/// by the SDK). What travels is recorded, so each test also shows the revision's wire: 2026-07-28 opens with
/// <c>server/discover</c> and never sends <c>initialize</c>; the handshake revisions do the opposite.
/// </summary>
[Trait(Category.Name, Category.Peers)]
public sealed class McpClientRevisionTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync() => _s = await OAuthTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    /// <summary>One MCP POST as the client sent it and how the server answered.</summary>
    private sealed record WireCall(string? Method, string? Version, HttpStatusCode Status);

    /// <summary>Records the client's requests to the MCP endpoint (OAuth traffic passes unrecorded).</summary>
    private sealed class Recorder(string endpointPath) : DelegatingHandler(new SocketsHttpHandler())
    {
        public ConcurrentQueue<WireCall> Calls { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.Method == HttpMethod.Post && request.RequestUri?.AbsolutePath == endpointPath)
            {
                string? Header(string name) => request.Headers.TryGetValues(name, out var v) ? v.Single() : null;
                Calls.Enqueue(new WireCall(Header("Mcp-Method"), Header("MCP-Protocol-Version"), response.StatusCode));
            }
            return response;
        }
    }

    private sealed record Connection(McpClient Client, Recorder Wire, List<string> AuthorizedScopes) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Client.DisposeAsync();
    }

    /// <summary>
    /// Connects the SDK client with the revision forced (null: the client's own choice). <paramref name="selectScopes"/>
    /// narrows what the client asks for at each authorization, as a client configured for least privilege would.
    /// </summary>
    private async Task<Connection> ConnectAsync(string? version, ScopeSelectorDelegate? selectScopes = null, string? clientId = null)
    {
        var scopes = new List<string>();
        var wire = new Recorder(new Uri(_s.Wpcom).AbsolutePath);
        var transport = await SdkClient.TransportAsync(_s, $"SDK revision {version ?? "default"}", selectScopes: selectScopes, clientId: clientId,
            onAuthorize: uri => scopes.Add(OAuthTestServer.QueryOf(uri).GetValueOrDefault("scope") ?? ""), http: new HttpClient(wire));
        var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = version });
        return new Connection(client, wire, scopes);
    }

    [Theory]
    [InlineData("2025-06-18", "2025-06-18")]
    [InlineData("2025-11-25", "2025-11-25")]
    [InlineData("2026-07-28", "2026-07-28")]
    [InlineData(null, "2026-07-28")]
    public async Task EachRevision_ConnectsListsAndCalls_GoodAndBadInput_UnknownToolIsInvalidParams(string? forced, string expected)
    {
        await using var c = await ConnectAsync(forced);
        Assert.Equal(expected, c.Client.NegotiatedProtocolVersion);
        Assert.Equal("pressmcp", c.Client.ServerInfo?.Name);
        Assert.Contains("wpcom-mcp-user-sites", c.Client.ServerInstructions, StringComparison.Ordinal);

        var tools = await c.Client.ListToolsAsync();
        Assert.Contains(tools, t => t.Name == "wpcom-mcp-posts-search");
        Assert.True(tools.Single(t => t.Name == "wpcom-mcp-posts-search").ProtocolTool.Annotations!.ReadOnlyHint);

        var good = await c.Client.CallToolAsync("wpcom-mcp-posts-search", new Dictionary<string, object?> { ["wpcom_site"] = "garden" });
        Assert.NotEqual(true, good.IsError);
        Assert.Equal(JsonValueKind.Array, good.StructuredContent?.GetProperty("posts").ValueKind);

        var bad = await c.Client.CallToolAsync("wpcom-mcp-posts-search", new Dictionary<string, object?> { ["wpcom_site"] = "garden", ["per_page"] = 1000 });
        Assert.True(bad.IsError);
        var message = Assert.IsType<ModelContextProtocol.Protocol.TextContentBlock>(Assert.Single(bad.Content)).Text;
        Assert.Contains("per_page", message, StringComparison.Ordinal);

        var unknown = await Assert.ThrowsAsync<McpProtocolException>(() => c.Client.CallToolAsync("wpcom-mcp-nope").AsTask());
        Assert.Equal(McpErrorCode.InvalidParams, unknown.ErrorCode);
        Assert.Contains("wpcom-mcp-nope", unknown.Message, StringComparison.Ordinal);

        // The wire: every authenticated call carried the revision; 2026-07-28 discovered instead of initializing.
        var calls = c.Wire.Calls.Where(w => w.Status != HttpStatusCode.Unauthorized).ToList();
        Assert.Equal(expected == "2026-07-28", calls.Any(w => w.Method == "server/discover"));
        if (expected == "2026-07-28")
        {
            Assert.All(calls, w => Assert.Equal(expected, w.Version));
            Assert.DoesNotContain(calls, w => w.Method == "initialize");
        }
        else
        {
            // The handshake's own POSTs go before a version is agreed; everything after names it.
            Assert.Contains(calls, w => w.Method == "initialize");
            Assert.All(calls.Where(w => w.Method is "tools/list" or "tools/call"), w => Assert.Equal(expected, w.Version));
        }
    }

    [Theory]
    [InlineData("2025-06-18")]
    [InlineData("2025-11-25")]
    [InlineData("2026-07-28")]
    public async Task EachRevision_AMissingScope_IsSteppedUpByTheClient(string version)
    {
        // First authorization: content:read only. At the step-up the client adds what the 403 named. The client
        // is registered beforehand for every scope ("auth"), because the SDK registers once with the scopes of its
        // first authorization and does not register again at a step-up, and the authorization server grants a
        // client no more than it registered for.
        var clientId = await _s.RegisterClientAsync(SdkClient.Redirect, "SDK step-up", scope: "auth");
        var first = true;
        IEnumerable<string>? Select(IEnumerable<string>? offered)
        {
            if (first)
            {
                first = false;
                return ["content:read"];
            }
            return (offered ?? []).Where(s => s != "auth").Append("content:read").Distinct();
        }

        await using var c = await ConnectAsync(version, Select, clientId);
        Assert.Equal(version, c.Client.NegotiatedProtocolVersion);
        Assert.Equal(["content:read"], c.AuthorizedScopes);

        var settings = await c.Client.CallToolAsync("wpcom-mcp-site-settings", new Dictionary<string, object?> { ["wpcom_site"] = "garden", ["sections"] = new[] { "general" } });
        Assert.NotEqual(true, settings.IsError);
        Assert.Equal("Garden Notes", settings.StructuredContent?.GetProperty("general").GetProperty("title").GetString());

        // The first attempt was refused with 403 insufficient_scope; the client asked the user again, for settings:read, and retried.
        Assert.Equal(2, c.AuthorizedScopes.Count);
        Assert.Contains("settings:read", c.AuthorizedScopes[1].Split(' '));
        var attempts = c.Wire.Calls.Where(w => w.Method == "tools/call").Select(w => w.Status).ToList();
        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.OK], attempts);
    }
}
