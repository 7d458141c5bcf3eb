using System.Net;
using System.Text.Json;

namespace PressMcp.Tests.Web;

/// <summary>
/// <c>/account/connect</c>: the address to paste, the clients' configuration snippets (valid JSON naming it), each site's
/// adapter address, and what an app could do under the user's MCP settings right now.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class ConnectPageTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("alice", "correct horse battery");
        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "site", "create", "--slug", "garden", "--title", "Garden Notes", "--owner", "alice")).ExitCode);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ConnectPage_GivesTheAddress_SnippetsAndAdapterAddresses()
    {
        var alice = await _server.SignedInClientAsync("alice", "correct horse battery");
        var page = TestServer.Parse(await alice.GetStringAsync("/account/connect"));
        var url = $"{_server.BaseUrl}/wpcom/v2/mcp/v1";
        Assert.Equal(url, page.QuerySelector("input[data-mcp-url]")!.GetAttribute("value"));
        foreach (var snippet in page.QuerySelectorAll("pre[data-snippet]"))
        {
            using var json = JsonDocument.Parse(snippet.TextContent);
            Assert.Contains(url, json.RootElement.GetRawText(), StringComparison.Ordinal);
        }
        Assert.Equal(3, page.QuerySelectorAll("pre[data-snippet]").Length);
        Assert.Equal($"{_server.BaseUrl}/sites/garden/wp-json/mcp/mcp-adapter-default-server", page.QuerySelector("[data-adapter-url=garden]")!.TextContent);
        Assert.NotNull(page.QuerySelector("nav a[href='/account/connect']"));
    }

    [Fact]
    public async Task ConnectPage_SaysWhatAnAppCanDo_UnderTheCurrentSettings()
    {
        var alice = await _server.SignedInClientAsync("alice", "correct horse battery");
        var off = TestServer.Parse(await alice.GetStringAsync("/account/connect"));
        Assert.NotNull(off.QuerySelector("[data-mcp-off]"));

        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "mcp-access", "--login", "alice", "--on")).ExitCode);
        var readOnly = TestServer.Parse(await alice.GetStringAsync("/account/connect"));
        Assert.Contains("no tool that changes anything", readOnly.QuerySelector("[data-can-do]")!.TextContent, StringComparison.Ordinal);

        Assert.Equal(0, (await CliRunner.RunAsync(_server.Store, "mcp-access", "--login", "alice", "--tool", "posts/create")).ExitCode);
        var write = TestServer.Parse(await alice.GetStringAsync("/account/connect"));
        Assert.Contains("1 that change content", write.QuerySelector("[data-can-do]")!.TextContent, StringComparison.Ordinal);
        Assert.Single(write.QuerySelectorAll("[data-write-tools] li"));
    }

    [Fact]
    public async Task ConnectPage_NeedsSignIn()
    {
        var response = await _server.CreateClient().GetAsync("/account/connect");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}
