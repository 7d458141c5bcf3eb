using System.Net;
using Microsoft.Extensions.Options;

namespace PressMcp.Tests.Observability;

/// <summary>
/// The Prometheus scrape endpoint over the real HTTP pipeline: what a call through an MCP endpoint and an OAuth refusal
/// add to it, who may read it, and that it does not exist unless configured. The PressMcp meter is one per process and
/// tests run side by side, so counts are compared before and after the test's own request (at least one more).
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class MetricsEndpointTests
{
    private static readonly Dictionary<string, string?> Enabled = new() { ["Metrics:Prometheus:Enabled"] = "true" };

    private static async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync(HttpClient client, string path = "/metrics")
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Scrape_AfterToolCalls_CountsEachToolAndOutcomeWithTheirDurations()
    {
        await using var s = await OAuthTestServer.StartAsync(Enabled);
        var token = (await s.ConnectAsync(sites: ["Garden Notes"])).Tokens.AccessToken;
        var client = s.Anonymous();
        (string, string)[] succeeded = [("endpoint", "wpcom"), ("tool", "wpcom-mcp-user-sites"), ("outcome", "succeeded")];
        (string, string)[] invalid = [("endpoint", "wpcom"), ("tool", "wpcom-mcp-user-profile"), ("outcome", "invalid")];
        var before = await ScrapeAsync(client);

        Assert.Equal(HttpStatusCode.OK, (await s.CallToolAsync(token, "wpcom-mcp-user-sites")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.CallToolAsync(token, "wpcom-mcp-user-profile", new { surprise = 1 })).StatusCode);
        var after = await ScrapeAsync(client);

        Assert.True(PrometheusText.Sum(after, "pressmcp_tool_calls_total", succeeded) >= PrometheusText.Sum(before, "pressmcp_tool_calls_total", succeeded) + 1);
        Assert.True(PrometheusText.Sum(after, "pressmcp_tool_calls_total", invalid) >= PrometheusText.Sum(before, "pressmcp_tool_calls_total", invalid) + 1);
        Assert.True(PrometheusText.Sum(after, "pressmcp_tool_call_duration_seconds_count", succeeded) >= 1);
        Assert.True(PrometheusText.Sum(after, "pressmcp_tool_calls_total", [.. succeeded, ("ability", PressMcp.Accounts.UserSitesAbility.Name)]) >= 1);
        // The token the flow above was issued.
        Assert.True(PrometheusText.Sum(after, "pressmcp_oauth_tokens_issued_total", ("grant_type", "authorization_code")) >= 1);
        // ASP.NET Core's request histogram per route is asserted where the server is alone in its process
        // (Deploy/PublishedExecutableTests). Here every test host of the suite feeds meters of the same name, and in the
        // full suite the MCP route's series was missing from this server's scrape (twice in CI, never alone).
    }

    [Fact]
    public async Task Scrape_AfterRefusedTokenAndAuthorizeRequests_CountsEachRefusalByEndpointAndError()
    {
        await using var s = await OAuthTestServer.StartAsync(Enabled);
        var clientId = await s.RegisterClientAsync();
        (string, string)[] token = [("endpoint", "token"), ("grant_type", "authorization_code"), ("error", "invalid_grant")];
        (string, string)[] authorize = [("endpoint", "authorize"), ("error", "invalid_request")];
        var before = await ScrapeAsync(s.Anonymous());

        var (response, json) = await s.TokenAsync(OAuthTestServer.CodeForm(clientId, "not-a-code", Pkce.New()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", json.GetProperty("error").GetString());
        var page = await s.Anonymous().GetAsync(OAuthTestServer.AuthorizePath(clientId, Pkce.New(), redirect: "http://127.0.0.1:9/not-registered"));
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        var after = await ScrapeAsync(s.Anonymous());

        Assert.True(PrometheusText.Sum(after, "pressmcp_oauth_refusals_total", token) >= PrometheusText.Sum(before, "pressmcp_oauth_refusals_total", token) + 1);
        Assert.True(PrometheusText.Sum(after, "pressmcp_oauth_refusals_total", authorize) >= PrometheusText.Sum(before, "pressmcp_oauth_refusals_total", authorize) + 1);
    }

    [Fact]
    public async Task Scrape_NeverShowsLoginsTokensOrClientIds()
    {
        await using var s = await OAuthTestServer.StartAsync(Enabled);
        var (clientId, tokens) = await s.ConnectAsync(sites: ["Garden Notes"]);
        await s.CallToolAsync(tokens.AccessToken, "wpcom-mcp-user-sites");

        var text = await (await s.Anonymous().GetAsync("/metrics")).Content.ReadAsStringAsync();

        Assert.Contains("pressmcp_tool_calls_total", text, StringComparison.Ordinal);
        foreach (var secret in new[] { "alice", tokens.AccessToken, tokens.RefreshToken, clientId, "Garden Notes", "garden" })
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Metrics_Off_PathIsNotFound()
    {
        await using var server = await TestServer.StartAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await server.CreateClient().GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Metrics_ConfiguredPath_ServedThereOnly()
    {
        await using var server = await TestServer.StartAsync(configureHost: b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Metrics:Prometheus:Enabled"] = "true",
            ["Metrics:Prometheus:Path"] = "/internal/metrics",
        }));
        var client = server.CreateClient();
        Assert.NotEmpty(await ScrapeAsync(client, "/internal/metrics"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Scrape_FromAnAddressOutsideTheAllowedNetworks_IsNotFound()
    {
        await using var server = await TestServer.StartAsync(configureHost: b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Metrics:Prometheus:Enabled"] = "true",
            ["Metrics:Prometheus:AllowedNetworks:0"] = "10.0.0.0/8",
        }));
        // The test client connects from 127.0.0.1, which the list leaves out.
        Assert.Equal(HttpStatusCode.NotFound, (await server.CreateClient().GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Scrape_RelayedByAnUntrustedProxy_IsNotFound()
    {
        await using var server = await TestServer.StartAsync(configureHost: b => b.Configuration.AddInMemoryCollection(Enabled));
        var client = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/metrics")).StatusCode);

        // As nginx on the same machine would relay an outsider's request: from loopback, with the outsider's address beside it.
        var relayed = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        relayed.Headers.Add("X-Forwarded-For", "203.0.113.9");
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(relayed)).StatusCode);
    }

    [Theory]
    [InlineData("Metrics:Prometheus:Path", "metrics", "Metrics:Prometheus:Path is 'metrics'; it must be a path of 2 to 100 characters starting with '/'")]
    [InlineData("Metrics:Prometheus:AllowedNetworks:0", "10.0.0.0/33", "Metrics:Prometheus:AllowedNetworks has '10.0.0.0/33'; each entry must be an address")]
    [InlineData("Metrics:Otlp:Endpoint", "collector:4317", "Metrics:Otlp:Endpoint is 'collector:4317'; it must be an absolute http:// or https:// address")]
    [InlineData("Metrics:Otlp:Protocol", "udp", "Metrics:Otlp:Protocol is 'udp'; it must be grpc or http/protobuf")]
    public async Task Start_BadMetricsOption_FailsNamingIt(string key, string value, string expected)
    {
        await using var store = await TestStore.CreateAsync();
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var server = await TestServer.StartAsync(store, configureHost: b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Metrics:Prometheus:Enabled"] = "true",
                [key] = value,
            }));
        });
        Assert.Contains(failure.Failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }
}
