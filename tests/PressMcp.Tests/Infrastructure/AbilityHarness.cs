using System.Globalization;
using System.Text.Json;
using PressMcp.Abilities;
using PressMcp.Activity;
using PressMcp.Mcp.Settings;
using PressMcp.OAuth;
using PressMcp.Sites;

namespace PressMcp.Tests.Infrastructure;

/// <summary>How one ability call ended, as the invoker reports it to an endpoint.</summary>
internal sealed record AbilityResult(CallOutcome Outcome, JsonElement Value, string Message)
{
    public bool Succeeded => Outcome == CallOutcome.Succeeded;
}

/// <summary>
/// Calls abilities through the real MCP Adapter endpoint of a running server over HTTP with an Application Password
/// (every scope, the endpoint's own site in place of <c>wpcom_site</c>). MCP is turned on for the user through the real
/// settings store, write abilities too.
/// Users and sites are <see cref="OAuthTestServer"/>'s: alice (administrator of garden, contributor of kitchen) and bob.
/// </summary>
internal sealed class AbilityHarness : IAsyncDisposable
{
    private AbilityHarness(OAuthTestServer server) => Server = server;

    public OAuthTestServer Server { get; }
    public IServiceProvider Services => Server.Server.Services;
    public string BaseUrl => Server.BaseUrl;

    public static async Task<AbilityHarness> StartAsync(IDictionary<string, string?>? configuration = null, Action<IServiceCollection>? services = null) =>
        new(await OAuthTestServer.StartAsync(configuration, services: services));

    /// <summary>Creates a user and makes them a member of <paramref name="site"/> with <paramref name="role"/>.</summary>
    public async Task AddMemberAsync(string login, string site, string role)
    {
        await Server.Server.CreateUserAsync(login, "member secret phrase");
        var r = await CliRunner.RunAsync(Server.Server.Store, "site", "add-user", "--site", site, "--login", login, "--role", role);
        if (r.ExitCode != 0) throw new InvalidOperationException(r.ToString());
    }

    public async Task<long> UserIdAsync(string login)
    {
        await using var scope = Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<PressMcp.Accounts.UserAccounts>().FindByLoginAsync(login)
            ?? throw new InvalidOperationException($"no user {login}");
        return user.Id;
    }

    /// <summary>Turns MCP on for the user with every registered ability switched on (read and write).</summary>
    public async Task EnableAsync(string login)
    {
        var id = await UserIdAsync(login);
        await using var scope = Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<McpSettingsStore>();
        await store.SetEnabledAsync(id, true);
        var registry = scope.ServiceProvider.GetRequiredService<AbilityRegistry>();
        await store.SetToolsAsync(id, registry.All.ToDictionary(a => a.Name, _ => true));
    }

    private readonly Dictionary<string, string> _passwords = [];

    /// <summary>
    /// One call as <paramref name="login"/> on <paramref name="site"/>, over HTTP exactly as the curl examples in
    /// docs/adapter.md: <c>mcp-adapter-execute-ability</c> on the site's adapter endpoint with an Application Password
    /// (created once per user through the command line). A success is the ability's result from <c>content[0].text</c>,
    /// checked against its output schema; a failure is the -32000 error's reason. The outcome is read back from the
    /// activity log, which also proves every call is recorded.
    /// </summary>
    public async Task<AbilityResult> CallAsync(string login, string ability, object arguments, string site = "garden")
    {
        var found = Services.GetRequiredService<AbilityRegistry>().Find(ability) ?? throw new InvalidOperationException($"no ability {ability}");
        var password = await PasswordAsync(login);
        var request = new HttpRequestMessage(HttpMethod.Post, Server.SiteEndpoint(site))
        {
            Content = System.Net.Http.Json.JsonContent.Create(new
            {
                jsonrpc = "2.0", id = 1, method = "tools/call",
                @params = new { name = "mcp-adapter-execute-ability", arguments = new { ability_name = ability, parameters = arguments } },
            }),
        };
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{login}:{password}")));
        using var response = await Server.Anonymous().SendAsync(request);
        var body = await OAuthTestServer.JsonOf(response);
        if (response.StatusCode != System.Net.HttpStatusCode.OK) throw new InvalidOperationException($"{ability}: HTTP {(int)response.StatusCode} {body}");

        var outcome = await LastOutcomeAsync(login, ability);
        if (body.TryGetProperty("error", out var error))
        {
            if (error.GetProperty("code").GetInt32() != -32000) throw new InvalidOperationException($"{ability}: unexpected JSON-RPC error {error}");
            const string prefix = "Ability execution failed: ";
            var message = error.GetProperty("message").GetString()!;
            Assert.StartsWith(prefix, message, StringComparison.Ordinal);
            Assert.NotEqual(CallOutcome.Succeeded, outcome);
            return new AbilityResult(outcome, default, message[prefix.Length..]);
        }
        var text = body.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()!;
        var value = JsonDocument.Parse(text).RootElement.Clone();
        if (found.Output.Validate(value) is { } mismatch)
            throw new InvalidOperationException($"{ability} answered outside its output schema: {mismatch}\n{value}");
        Assert.Equal(CallOutcome.Succeeded, outcome);
        return new AbilityResult(outcome, value, "");
    }

    private async Task<string> PasswordAsync(string login)
    {
        if (_passwords.TryGetValue(login, out var known)) return known;
        var r = await CliRunner.RunAsync(Server.Server.Store, "app-password", "create", "--login", login, "--name", "harness");
        if (r.ExitCode != 0) throw new InvalidOperationException(r.ToString());
        var password = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        return _passwords[login] = password;
    }

    /// <summary>How the user's latest call ended, as the activity log recorded it.</summary>
    private async Task<CallOutcome> LastOutcomeAsync(string login, string ability)
    {
        await Services.GetRequiredService<ActivityFlusher>().FlushAsync();
        var userId = await UserIdAsync(login);
        await using var scope = Services.CreateAsyncScope();
        var entry = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(
            scope.ServiceProvider.GetRequiredService<PressMcp.Storage.PressDbContext>().ActivityLog
                .Where(a => a.UserId == userId).OrderByDescending(a => a.Id));
        Assert.Equal(ability, entry.Ability);
        Assert.Equal("adapter", entry.Endpoint);
        Assert.Equal("app-password:harness", entry.Client);
        return entry.Outcome;
    }

    /// <summary>A call that must succeed; its value.</summary>
    public async Task<JsonElement> OkAsync(string login, string ability, object arguments, string site = "garden")
    {
        var r = await CallAsync(login, ability, arguments, site);
        Assert.True(r.Succeeded, $"{ability} failed ({r.Outcome}): {r.Message}");
        return r.Value;
    }

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
