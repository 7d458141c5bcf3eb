using System.Net;
using ModelContextProtocol.Authentication;
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
    private const string ClientRedirect = "http://localhost:1179/callback";
    private OAuthTestServer _s = null!;

    public async ValueTask InitializeAsync() => _s = await OAuthTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task OfficialClient_RegistersAuthorizesAndListsTools()
    {
        var browser = await _s.AliceAsync();
        var authorizations = 0;
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(_s.Wpcom),
            TransportMode = HttpTransportMode.StreamableHttp,
            EnableStandaloneGetStream = false,
            OAuth = new ClientOAuthOptions
            {
                RedirectUri = new Uri(ClientRedirect),
                DynamicClientRegistration = new DynamicClientRegistrationOptions { ClientName = "MCP C# SDK test" },
                // Plays the user's browser: the consent form is posted for real, and the code, state and iss
                // are read from the redirect so the SDK validates them.
                AuthorizationCallbackHandler = async (context, ct) =>
                {
                    authorizations++;
                    var path = context.AuthorizationUri.PathAndQuery;
                    var approved = await OAuthTestServer.DecideAsync(browser, path);
                    Assert.Equal(HttpStatusCode.SeeOther, approved.StatusCode);
                    var location = approved.Headers.Location!;
                    Assert.StartsWith(ClientRedirect, location.ToString(), StringComparison.Ordinal);
                    var query = OAuthTestServer.QueryOf(location);
                    return new AuthorizationResult { Code = query["code"], State = query["state"], Iss = query["iss"] };
                },
            },
        });

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
        var apps = await (await browser.GetAsync("/account/apps")).Content.ReadAsStringAsync();
        Assert.Contains("MCP C# SDK test", apps, StringComparison.Ordinal);
    }
}
