using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.WebUtilities;
using PressMcp.OAuth.Clients;

namespace PressMcp.Tests.Infrastructure;

/// <summary>A PKCE pair (RFC 7636): the verifier the client keeps and the S256 challenge it sends.</summary>
public sealed record Pkce(string Verifier, string Challenge)
{
    public static Pkce New()
    {
        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return new Pkce(verifier, WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }
}

public sealed record TokenSet(string AccessToken, string RefreshToken, JsonElement Json);

/// <summary>
/// The real server with a manual clock and fixture metadata documents; two users
/// (alice, bob) and two sites: garden (alice administrator) and kitchen (bob administrator, alice contributor).
/// Helpers drive the OAuth endpoints over HTTP as a client and a browser would.
/// </summary>
public sealed class OAuthTestServer : IAsyncDisposable
{
    public const string Password = "correct horse battery";
    public const string Redirect = "http://127.0.0.1/callback";

    private OAuthTestServer(TestServer server, ManualClock clock, FixtureDocuments documents)
    {
        Server = server;
        Clock = clock;
        Documents = documents;
    }

    public TestServer Server { get; }
    public ManualClock Clock { get; }
    public FixtureDocuments Documents { get; }
    public string BaseUrl => Server.BaseUrl;
    public string Wpcom => BaseUrl + "/wpcom/v2/mcp/v1";
    public string SiteEndpoint(string slug) => $"{BaseUrl}/sites/{slug}/wp-json/mcp/mcp-adapter-default-server";

    /// <param name="services">Replace or add services after the server's own (e.g. a fake chat client).</param>
    public static async Task<OAuthTestServer> StartAsync(IDictionary<string, string?>? configuration = null, IReadOnlyList<string>? allowedOrigins = null,
        Action<IServiceCollection>? services = null, Action<WebApplication>? endpoints = null)
    {
        var clock = new ManualClock();
        var documents = new FixtureDocuments();
        var server = await TestServer.StartAsync(
            configureHost: b =>
            {
                if (configuration is not null) b.Configuration.AddInMemoryCollection(configuration);
                b.Services.AddSingleton<TimeProvider>(clock);
                b.Services.AddSingleton(new MetadataDocumentHttp(documents));
                services?.Invoke(b.Services);
            },
            configureEndpoints: endpoints,
            allowedOrigins: allowedOrigins);
        await server.CreateUserAsync("alice", Password);
        await server.CreateUserAsync("bob", "kitchen secret phrase");
        await Cli(server, "site", "create", "--slug", "garden", "--title", "Garden Notes", "--owner", "alice");
        await Cli(server, "site", "create", "--slug", "kitchen", "--title", "Kitchen", "--owner", "bob");
        await Cli(server, "site", "add-user", "--site", "kitchen", "--login", "alice", "--role", "contributor");
        return new OAuthTestServer(server, clock, documents);
    }

    private static async Task Cli(TestServer server, params string[] args)
    {
        var r = await CliRunner.RunAsync(server.Store, args);
        if (r.ExitCode != 0) throw new InvalidOperationException(r.ToString());
    }

    public HttpClient Anonymous() => Server.CreateClient();

    public Task<HttpClient> AliceAsync() => Server.SignedInClientAsync("alice", Password);

    public async Task<(HttpResponseMessage Response, JsonElement Json)> RegisterAsync(string json)
    {
        var response = await Anonymous().PostAsync("/oauth2-1/register", new StringContent(json, Encoding.UTF8, "application/json"));
        return (response, await JsonOf(response));
    }

    public async Task<string> RegisterClientAsync(string redirect = Redirect, string name = "Test Agent", string? scope = null)
    {
        var scopeMember = scope is null ? "" : $", \"scope\": \"{scope}\"";
        var (response, json) = await RegisterAsync($$"""{"client_name": "{{name}}", "redirect_uris": ["{{redirect}}"]{{scopeMember}}}""");
        if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException(json.ToString());
        return json.GetProperty("client_id").GetString()!;
    }

    public static string AuthorizePath(string clientId, Pkce pkce, string redirect = Redirect, string? state = "st-123", string? scope = "auth",
        string? resource = null, IDictionary<string, string>? extra = null)
    {
        var q = new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = clientId, ["redirect_uri"] = redirect,
            ["code_challenge"] = pkce.Challenge, ["code_challenge_method"] = "S256", ["state"] = state, ["scope"] = scope, ["resource"] = resource,
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) q[k] = v;
        return QueryHelpers.AddQueryString("/oauth2-1/authorize", q.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value));
    }

    /// <summary>Opens the consent page as a signed-in browser and posts the decision with the chosen sites (by title; all offered when null).</summary>
    /// <param name="postWith">Posts the decision through another client (another server instance, same cookies); default <paramref name="browser"/>.</param>
    public static async Task<HttpResponseMessage> DecideAsync(HttpClient browser, string authorizePath, string decision = "approve", string[]? siteTitles = null, bool enableMcp = true,
        HttpClient? postWith = null)
    {
        var page = await browser.GetAsync(authorizePath);
        var html = await page.Content.ReadAsStringAsync();
        if (page.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"consent page answered {page.StatusCode}: {page.Headers.Location}\n{html}");
        var doc = TestServer.Parse(html);
        var fields = doc.QuerySelectorAll("form[action='/oauth2-1/authorize'] input[type=hidden]").Cast<IHtmlInputElement>()
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value)).ToList();
        foreach (var box in doc.QuerySelectorAll("input[name=site]").Cast<IHtmlInputElement>())
        {
            var title = box.ParentElement!.TextContent.Trim();
            if (siteTitles is null || siteTitles.Any(t => title.StartsWith(t, StringComparison.Ordinal))) fields.Add(new("site", box.Value));
        }
        // The consent page offers to turn MCP on (read tools) while it is off; a user who reads it keeps the box ticked.
        if (enableMcp && doc.QuerySelector("input[name=enable_mcp]") is IHtmlInputElement mcp && mcp.IsChecked) fields.Add(new("enable_mcp", mcp.Value));
        fields.Add(new("decision", decision));
        return await (postWith ?? browser).PostAsync("/oauth2-1/authorize", new FormUrlEncodedContent(fields));
    }

    public static Dictionary<string, string> QueryOf(Uri location) =>
        QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    /// <summary>Register → approve as alice → the code from the redirect.</summary>
    public async Task<(string ClientId, Pkce Pkce, string Code)> AuthorizeAsync(string? resource = null, string scope = "auth", string[]? sites = null, string? clientId = null, bool enableMcp = true)
    {
        clientId ??= await RegisterClientAsync();
        var pkce = Pkce.New();
        var response = await DecideAsync(await AliceAsync(), AuthorizePath(clientId, pkce, scope: scope, resource: resource), siteTitles: sites, enableMcp: enableMcp);
        if (response.StatusCode != HttpStatusCode.SeeOther) throw new InvalidOperationException($"approval answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (clientId, pkce, QueryOf(response.Headers.Location!)["code"]);
    }

    public async Task<(HttpResponseMessage Response, JsonElement Json)> TokenAsync(Dictionary<string, string> form)
    {
        var response = await Anonymous().PostAsync("/oauth2-1/token", new FormUrlEncodedContent(form));
        return (response, await JsonOf(response));
    }

    public static Dictionary<string, string> CodeForm(string clientId, string code, Pkce pkce, string redirect = Redirect) => new()
    {
        ["grant_type"] = "authorization_code", ["client_id"] = clientId, ["code"] = code, ["redirect_uri"] = redirect, ["code_verifier"] = pkce.Verifier,
    };

    public static Dictionary<string, string> RefreshForm(string clientId, string refreshToken) => new()
    {
        ["grant_type"] = "refresh_token", ["client_id"] = clientId, ["refresh_token"] = refreshToken,
    };

    /// <summary>The whole flow as alice; by default she also ticks "turn MCP on" if the consent page offers it.</summary>
    public async Task<(string ClientId, TokenSet Tokens)> ConnectAsync(string? resource = null, string scope = "auth", string[]? sites = null, bool enableMcp = true)
    {
        var (clientId, pkce, code) = await AuthorizeAsync(resource, scope, sites, enableMcp: enableMcp);
        var (response, json) = await TokenAsync(CodeForm(clientId, code, pkce));
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException(json.ToString());
        return (clientId, ToTokens(json));
    }

    public static TokenSet ToTokens(JsonElement json) =>
        new(json.GetProperty("access_token").GetString()!, json.GetProperty("refresh_token").GetString()!, json);

    /// <summary>One JSON-RPC call to an MCP endpoint with a bearer token.</summary>
    public async Task<HttpResponseMessage> CallAsync(string? accessToken, string method = "tools/list", string? endpoint = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint ?? Wpcom)
        {
            Content = JsonContent.Create(new { jsonrpc = "2.0", id = 1, method }),
        };
        if (accessToken is not null) request.Headers.Authorization = new("Bearer", accessToken);
        return await Anonymous().SendAsync(request);
    }

    /// <summary>A <c>tools/call</c> of the real MCP endpoint (or another endpoint) with a bearer token.</summary>
    public async Task<HttpResponseMessage> CallToolAsync(string accessToken, string tool, object? arguments = null, string? endpoint = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint ?? Wpcom)
        {
            Content = JsonContent.Create(new { jsonrpc = "2.0", id = 1, method = "tools/call", @params = new { name = tool, arguments = arguments ?? new { } } }),
        };
        request.Headers.Authorization = new("Bearer", accessToken);
        return await Anonymous().SendAsync(request);
    }

    /// <summary>A <c>tools/call</c> that must answer 200; its JSON-RPC <c>result</c>.</summary>
    public async Task<JsonElement> ToolResultAsync(string accessToken, string tool, object arguments)
    {
        var response = await CallToolAsync(accessToken, tool, arguments);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await JsonOf(response)).GetProperty("result");
    }

    /// <summary>The text of a tool result's first content block (the message of an error result).</summary>
    public static string TextOf(JsonElement result) => result.GetProperty("content")[0].GetProperty("text").GetString()!;

    public static async Task<JsonElement> JsonOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Documents.Dispose();
    }
}
