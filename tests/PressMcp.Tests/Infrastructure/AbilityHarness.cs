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
/// Calls abilities exactly as the MCP Adapter endpoint will: the real <see cref="AbilityInvoker"/> of a running server,
/// an Application Password's caller (every scope, no site restriction, endpoint "adapter"), and the endpoint's own site
/// in place of <c>wpcom_site</c>. MCP is turned on for the user through the real settings store, write abilities too.
/// When the adapter endpoint lands, <see cref="CallAsync"/> is the one place to point at HTTP instead.
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

    /// <summary>One call as <paramref name="login"/> on <paramref name="site"/>; a success is checked against the ability's output schema.</summary>
    public async Task<AbilityResult> CallAsync(string login, string ability, object arguments, string site = "garden")
    {
        await using var scope = Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var found = sp.GetRequiredService<AbilityRegistry>().Find(ability) ?? throw new InvalidOperationException($"no ability {ability}");
        var user = await sp.GetRequiredService<PressMcp.Accounts.UserAccounts>().FindByLoginAsync(login) ?? throw new InvalidOperationException($"no user {login}");
        var resolved = await sp.GetRequiredService<SiteResolver>().ResolveAsync(site);
        var caller = new McpCaller(user.Id, user.IsServerAdmin, Scopes.Expand(Scopes.Supported), GrantedSiteIds: null, Client: "test", Endpoint: "adapter");
        var args = arguments as JsonElement? ?? JsonSerializer.SerializeToElement(arguments);
        var result = await sp.GetRequiredService<AbilityInvoker>().InvokeAsync(caller, ability, found, args, endpointSite: resolved.Value, default);
        if (result.Succeeded && found.Output.Validate(result.Value) is { } mismatch)
            throw new InvalidOperationException($"{ability} answered outside its output schema: {mismatch}\n{result.Value}");
        return new AbilityResult(result.Outcome, result.Value, result.Message);
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
