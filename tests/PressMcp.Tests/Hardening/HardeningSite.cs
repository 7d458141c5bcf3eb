using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PressMcp.Tests.Hardening;

/// <summary>
/// A store set up through the real command line for the hardening tests: alice (MCP on, posts/create and
/// comments/reply switched on, administrator of garden, an Application Password), carol (MCP off, no site, an
/// Application Password), dave (only signs in through the form), and a garden post to read and comment on. OAuth tokens are obtained over HTTP from
/// the running server process, the way a client gets them (sign-in, registration, consent, code with PKCE).
/// </summary>
public sealed class HardeningSite
{
    public const string AlicePassword = "correct horse battery";
    public const string CarolPassword = "staple paper battery";
    /// <summary>dave only signs in through the form: failed attempts lock an account, and alice's must stay usable.</summary>
    public const string DavePassword = "lantern harbour mist";
    public const string Site = "garden";

    private HardeningSite(TestStore store, string aliceApp, string carolApp)
    {
        Store = store;
        AliceAppPassword = aliceApp;
        CarolAppPassword = carolApp;
    }

    public TestStore Store { get; }
    public string AliceAppPassword { get; }
    public string CarolAppPassword { get; }
    public AuthenticationHeaderValue AliceBasic => AdapterCalls.Basic("alice", AliceAppPassword);
    public AuthenticationHeaderValue CarolBasic => AdapterCalls.Basic("carol", CarolAppPassword);

    public const string WpcomPath = "/wpcom/v2/mcp/v1";
    public static string AdapterPath(string slug = Site) => $"/sites/{slug}/wp-json/mcp/mcp-adapter-default-server";

    /// <summary>Creates the users, the site, the passwords and the switches before any server runs on the store.</summary>
    public static async Task<HardeningSite> CreateAsync(TestStore store)
    {
        await Cli(store, "user", "create", "--login", "alice", "--email", "alice@example.com", "--password", AlicePassword);
        await Cli(store, "user", "create", "--login", "carol", "--email", "carol@example.com", "--password", CarolPassword);
        await Cli(store, "user", "create", "--login", "dave", "--email", "dave@example.com", "--password", DavePassword);
        await Cli(store, "site", "create", "--slug", Site, "--title", "Garden Notes", "--owner", "alice");
        var alice = await AdapterCalls.CreatePasswordAsync(store, "alice", "hardening", enableMcp: true);
        var carol = await AdapterCalls.CreatePasswordAsync(store, "carol", "hardening", enableMcp: false);
        await Cli(store, "mcp-access", "--login", "alice", "--tool", "posts/create", "--tool", "comments/reply");
        return new HardeningSite(store, alice, carol);
    }

    private static async Task Cli(TestStore store, params string[] args)
    {
        var r = await CliRunner.RunAsync(store, args);
        if (r.ExitCode != 0) throw new InvalidOperationException($"pressmcp {string.Join(' ', args)}: {r}");
    }

    /// <summary>A browser-like client of the process: keeps cookies, does not follow redirects.</summary>
    public static HttpClient Browser(string baseUrl, CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(baseUrl) };

    public static async Task<HttpClient> SignedInAliceAsync(string baseUrl, CookieContainer? cookies = null)
    {
        var browser = Browser(baseUrl, cookies);
        var response = await TestServer.PostFormAsync(browser, "/login", new() { ["Login"] = "alice", ["Password"] = AlicePassword });
        if (response.StatusCode != HttpStatusCode.SeeOther) throw new InvalidOperationException($"sign-in failed: {response.StatusCode}");
        return browser;
    }

    /// <summary>The whole OAuth flow as alice against the server process: the client id and the token response.</summary>
    public static async Task<(string ClientId, TokenSet Tokens)> ConnectAsync(string baseUrl, string clientName)
    {
        var browser = await SignedInAliceAsync(baseUrl);
        var registration = await browser.PostAsync("/oauth2-1/register", new StringContent(
            $$"""{"client_name":"{{clientName}}","redirect_uris":["{{OAuthTestServer.Redirect}}"]}""", Encoding.UTF8, "application/json"));
        var registered = JsonDocument.Parse(await registration.Content.ReadAsStringAsync()).RootElement;
        if (registration.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException(registered.ToString());
        var clientId = registered.GetProperty("client_id").GetString()!;
        var pkce = Pkce.New();
        var approved = await OAuthTestServer.DecideAsync(browser, OAuthTestServer.AuthorizePath(clientId, pkce));
        if (approved.StatusCode != HttpStatusCode.SeeOther) throw new InvalidOperationException($"consent answered {approved.StatusCode}");
        var code = OAuthTestServer.QueryOf(approved.Headers.Location!)["code"];
        var token = await browser.PostAsync("/oauth2-1/token", new FormUrlEncodedContent(OAuthTestServer.CodeForm(clientId, code, pkce)));
        var json = JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement.Clone();
        if (token.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException(json.ToString());
        return (clientId, OAuthTestServer.ToTokens(json));
    }
}
