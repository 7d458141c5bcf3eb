using System.Net;
using System.Net.Sockets;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using PressMcp.Cli;
using PressMcp.Sites;
using PressMcp.Web;

namespace PressMcp.Tests.Infrastructure;

/// <summary>The real server on a real Kestrel loopback port, over a test store, with what it printed to its console.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _ownsStore;

    private TestServer(WebApplication app, TestStore store, string baseUrl, string console, bool ownsStore)
    {
        _app = app;
        Store = store;
        BaseUrl = baseUrl;
        ConsoleOutput = console;
        _ownsStore = ownsStore;
    }

    public TestStore Store { get; }
    public string BaseUrl { get; }
    public string ConsoleOutput { get; }
    public IServiceProvider Services => _app.Services;

    /// <param name="configureHost">Replace services or configuration (a manual clock, fixture metadata documents, rate limits).</param>
    /// <param name="configureEndpoints">Map test-only endpoints.</param>
    /// <param name="configuration">The server's configuration instead of the environment's (as <c>pressmcp serve</c> builds it).</param>
    public static async Task<TestServer> StartAsync(
        TestStore? store = null, Action<WebApplicationBuilder>? configureHost = null, Action<WebApplication>? configureEndpoints = null,
        IReadOnlyList<string>? allowedOrigins = null, string[]? trustedProxies = null, IConfiguration? configuration = null)
    {
        var owns = store is null;
        store ??= await TestStore.CreateAsync();
        var port = LoopbackPort.Free();
        var url = $"http://127.0.0.1:{port}";
        var settings = ServeCommand.ReadSettings(store.Settings, url, null, trustedProxies ?? [], out var error)
            ?? throw new InvalidOperationException(error);
        settings = settings with { MinimumLogLevel = LogLevel.Warning, AllowedOrigins = allowedOrigins ?? [] };
        // Configuration read while the host is built (Data Protection's certificate), before configureHost runs.
        if (configuration is not null) settings = settings with { Configuration = configuration };
        var console = new StringWriter();
        var app = await ServerHost.StartAsync(settings, console, default, configureHost, configureEndpoints);
        return new TestServer(app, store, url, console.ToString(), owns);
    }

    /// <summary>A browser-like client: keeps cookies, does not follow redirects (tests assert them).</summary>
    public HttpClient CreateClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = new Uri(BaseUrl),
        };

    /// <summary>
    /// One ability call by <paramref name="login"/> with <paramref name="role"/> on <paramref name="site"/>, as the
    /// people's pages make it (<see cref="PressMcp.Abilities.PersonCalls"/>); asserts it succeeded and returns the id it reports.
    /// </summary>
    internal async Task<long> RunAsPersonAsync(string login, string role, Site site, string ability, System.Text.Json.Nodes.JsonObject arguments)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressMcp.Storage.PressDbContext>();
        var id = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Users.Where(u => u.UserName == login).Select(u => u.Id));
        var result = await scope.ServiceProvider.GetRequiredService<PressMcp.Abilities.PersonCalls>().RunAsync(new PressMcp.Accounts.SiteActor(id, false, role), site, ability, arguments, "test", default);
        Assert.True(result.Succeeded, result.Message);
        return result.Value.GetProperty("id").GetInt64();
    }

    public async Task CreateUserAsync(string login, string password, bool serverAdmin = false)
    {
        string[] args = ["user", "create", "--login", login, "--email", $"{login}@example.com", "--password", password];
        var r = await CliRunner.RunAsync(Store, serverAdmin ? [.. args, "--server-admin"] : args);
        if (r.ExitCode != 0) throw new InvalidOperationException(r.ToString());
    }

    public async Task<HttpClient> SignedInClientAsync(string login, string password)
    {
        var client = CreateClient();
        var response = await PostFormAsync(client, "/login", new() { ["Login"] = login, ["Password"] = password });
        if (response.StatusCode != HttpStatusCode.SeeOther) throw new InvalidOperationException($"sign-in failed: {response.StatusCode}");
        return client;
    }

    /// <summary>GETs a page, reads its form's antiforgery token, and posts the fields with it, as a browser would.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, Dictionary<string, string> fields, string? formPage = null)
    {
        var page = await client.GetAsync(formPage ?? path);
        var html = await page.Content.ReadAsStringAsync();
        var token = AntiforgeryToken(html) ?? throw new InvalidOperationException($"no antiforgery token on {formPage ?? path} ({page.StatusCode})");
        fields["__RequestVerificationToken"] = token;
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    public static string? AntiforgeryToken(string html)
    {
        var doc = new HtmlParser().ParseDocument(html);
        return (doc.QuerySelector("input[name=__RequestVerificationToken]") as IHtmlInputElement)?.Value;
    }

    public static IHtmlDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    /// <summary>Stops the host as a shutdown does (the hosted services' last work runs); the services stay readable until disposal.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsStore) await Store.DisposeAsync();
    }
}
