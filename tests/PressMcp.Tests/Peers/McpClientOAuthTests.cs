using ModelContextProtocol.Client;

namespace PressMcp.Tests.Peers;

/// <summary>
/// The official MCP C# client (ModelContextProtocol 2.3.1) against the real server: it discovers the
/// metadata from the 401 challenge, registers dynamically, runs the authorization code flow with PKCE and
/// checks state and iss, exchanges the code and calls the real MCP endpoint's tools with the token.
/// </summary>
[Trait(Category.Name, Category.Peers)]
public sealed class McpClientOAuthTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync() => _s = await OAuthTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task OfficialClient_RegistersAuthorizesAndListsTools()
    {
        var authorizations = 0;
        var transport = await SdkClient.TransportAsync(_s, "MCP C# SDK test", onAuthorize: _ => authorizations++);

        await using var client = await McpClient.CreateAsync(transport);
        var tools = await client.ListToolsAsync();
        Assert.Contains(tools, t => t.Name == "wpcom-mcp-user-sites");
        Assert.Contains(tools, t => t.Name == "wpcom-mcp-user-profile");
        Assert.True(tools.Single(t => t.Name == "wpcom-mcp-user-sites").ProtocolTool.Annotations?.ReadOnlyHint);

        var result = await client.CallToolAsync("wpcom-mcp-user-profile");
        Assert.NotEqual(true, result.IsError);
        Assert.Equal("alice", result.StructuredContent?.GetProperty("login").GetString());
        var sites = await client.CallToolAsync("wpcom-mcp-user-sites");
        Assert.NotEqual(true, sites.IsError);
        Assert.True(sites.StructuredContent?.GetProperty("sites").GetArrayLength() >= 1);
        Assert.Equal(1, authorizations);
        // The connection is the user's to see and end.
        var apps = await (await (await _s.AliceAsync()).GetAsync("/account/apps")).Content.ReadAsStringAsync();
        Assert.Contains("MCP C# SDK test", apps, StringComparison.Ordinal);
    }
}
