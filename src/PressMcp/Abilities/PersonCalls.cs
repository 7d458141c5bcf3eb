using System.Text.Json;
using System.Text.Json.Nodes;
using PressMcp.Accounts;
using PressMcp.OAuth;
using PressMcp.Sites;

namespace PressMcp.Abilities;

/// <summary>
/// The people's pages act through the same abilities as agents: a form's action becomes an ability call by the
/// signed-in person, run by <see cref="AbilityInvoker"/> like any MCP call. So the one permission function decides it
/// (the person's role on the site; scopes and grants do not narrow a person, and MCP settings are the person's rules
/// for their agents, not for themselves), the same services do it, and the activity log records it with the person as
/// the actor (endpoint <see cref="Endpoint"/>, no client), beside what agents did.
/// </summary>
internal sealed class PersonCalls(AbilityInvoker invoker, AbilityRegistry registry)
{
    /// <summary>The activity log's endpoint for what a person did in the browser.</summary>
    public const string Endpoint = "web";

    private static readonly IReadOnlySet<string> EveryScope = Scopes.Expand(Scopes.Auth);

    /// <summary>The caller for <paramref name="actor"/> acting in the browser: every scope, every site they belong to.</summary>
    public static McpCaller CallerFor(SiteActor actor) => new(actor.UserId, actor.IsServerAdmin, EveryScope, null, null, Endpoint);

    /// <summary>
    /// Runs ability <paramref name="abilityName"/> on <paramref name="site"/> as <paramref name="actor"/> with
    /// <paramref name="arguments"/> (without <c>wpcom_site</c>: the site is given). <paramref name="action"/> names what
    /// the person did, for the activity log's tool column (e.g. <c>editor</c>, <c>posts-list: bulk trash</c>).
    /// </summary>
    public Task<Invocation> RunAsync(SiteActor actor, Site site, string abilityName, JsonObject arguments, string action, CancellationToken ct) =>
        Run(actor, site, abilityName, arguments, action, ct);

    /// <summary>Runs an ability that acts on no site (the person's profile) as <paramref name="actor"/>.</summary>
    public Task<Invocation> RunAsync(SiteActor actor, string abilityName, JsonObject arguments, string action, CancellationToken ct) =>
        Run(actor, null, abilityName, arguments, action, ct);

    private Task<Invocation> Run(SiteActor actor, Site? site, string abilityName, JsonObject arguments, string action, CancellationToken ct)
    {
        var ability = registry.Find(abilityName) ?? throw new InvalidOperationException($"no ability is named {abilityName}");
        // A page builds a small object; its text is parsed once into the element the invoker validates and reads.
        using var document = JsonDocument.Parse(arguments.ToJsonString());
        var values = document.RootElement.Clone();
        // The log's tool column holds 100 characters.
        return invoker.InvokeAsync(CallerFor(actor), TextBounds.Shorten(action, 100), ability, new AbilityArguments(values) { EndpointSite = site }, ct);
    }
}
