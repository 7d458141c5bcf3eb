using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Mcp.Settings;
using PressMcp.Sites;
using System.Collections.Frozen;

namespace PressMcp.Tests.Abilities;

[Trait(Category.Name, Category.Unit)]
public sealed class AbilityPermissionTests
{
    private static Ability Make(string[] scopes, string? capability, bool siteScoped = true) =>
        TestAbilities.Make(new("posts/create", "Create post", "Creates a draft", "posts", AbilityAnnotations.Write, scopes, capability, siteScoped,
            TestAbilityJson.Default.EmptyInput, TestAbilityJson.Default.EmptyInput));

    private static McpCaller Caller(string[] scopes, long[]? sites = null) =>
        new(7, false, scopes.ToHashSet(), sites?.ToHashSet(), "client", "wpcom");

    private static readonly McpSettingsSnapshot AllOn = Settings(enabled: true, tools: new() { ["posts/create"] = true });

    private static McpSettingsSnapshot Settings(bool enabled, Dictionary<string, bool>? tools = null, Dictionary<long, SiteMcpMode>? sites = null) =>
        new(enabled, (tools ?? []).ToFrozenDictionary(), (sites ?? []).ToFrozenDictionary());

    [Fact]
    public void Decide_McpSettingsNarrowEveryCall()
    {
        var write = Make(["content:write"], Caps.EditPosts);
        var read = TestAbilities.Make(new("posts/list", "List", "Lists", "posts", AbilityAnnotations.Read, [], Caps.EditPosts, SiteScoped: true,
            TestAbilityJson.Default.EmptyInput, TestAbilityJson.Default.EmptyInput));
        var caller = Caller(["content:write"], [1, 2]);
        var author = new SiteActor(7, false, Roles.Author);

        Assert.Equal(Refusal.McpOff, AbilityPermission.Decide(caller, read, 1, author, McpSettingsSnapshot.AllOff, SiteMcpPolicy.Allow).Refusal);
        // Turned on with no explicit choices: read tools on, write tools off.
        var defaults = Settings(enabled: true);
        Assert.True(AbilityPermission.Decide(caller, read, 1, author, defaults, SiteMcpPolicy.Allow).IsAllowed);
        var writeOff = AbilityPermission.Decide(caller, write, 1, author, defaults, SiteMcpPolicy.Allow);
        Assert.Equal(Refusal.ToolOff, writeOff.Refusal);
        Assert.Contains("posts/create", writeOff.Message, StringComparison.Ordinal);
        // An explicit switch wins either way.
        Assert.Equal(Refusal.ToolOff, AbilityPermission.Decide(caller, read, 1, author, Settings(true, new() { ["posts/list"] = false }), SiteMcpPolicy.Allow).Refusal);
        // Per site: blocked refuses everything there, read-only refuses writes; other sites are untouched.
        var perSite = Settings(true, new() { ["posts/create"] = true }, new() { [1] = SiteMcpMode.Blocked, [2] = SiteMcpMode.ReadOnly });
        Assert.Equal(Refusal.SiteBlocked, AbilityPermission.Decide(caller, read, 1, author, perSite, SiteMcpPolicy.Allow).Refusal);
        Assert.True(AbilityPermission.Decide(caller, read, 2, author, perSite, SiteMcpPolicy.Allow).IsAllowed);
        Assert.Equal(Refusal.SiteReadOnly, AbilityPermission.Decide(caller, write, 2, author, perSite, SiteMcpPolicy.Allow).Refusal);
        // Settings never widen: a granted scope is still needed, and the role still applies.
        Assert.Equal(Refusal.MissingScope, AbilityPermission.Decide(Caller(["content:read"], [1]), write, 1, author, AllOn, SiteMcpPolicy.Allow).Refusal);
        Assert.Equal(Refusal.MissingCapability, AbilityPermission.Decide(caller, write, 1, new SiteActor(7, false, Roles.Subscriber), AllOn, SiteMcpPolicy.Allow).Refusal);
    }

    [Fact]
    public void Decide_SitePolicy_NarrowsAgentsOnThatSite_NotThePeopleOnItsPages()
    {
        var write = Make(["content:write"], Caps.EditPosts);
        var read = TestAbilities.Make(new("posts/list", "List", "Lists", "posts", AbilityAnnotations.Read, [], Caps.EditPosts, SiteScoped: true,
            TestAbilityJson.Default.EmptyInput, TestAbilityJson.Default.EmptyInput));
        var admin = new SiteActor(7, false, Roles.Administrator);
        var agent = Caller(["content:write"], [1]);

        Assert.Equal(Refusal.SitePolicyBlocked, AbilityPermission.Decide(agent, read, 1, admin, AllOn, SiteMcpPolicy.Blocked).Refusal);
        var readOnly = AbilityPermission.Decide(agent, write, 1, admin, AllOn, SiteMcpPolicy.ReadOnly);
        Assert.Equal(Refusal.SitePolicyReadOnly, readOnly.Refusal);
        Assert.Contains("site's administrators", readOnly.Message, StringComparison.Ordinal);
        Assert.True(AbilityPermission.Decide(agent, read, 1, admin, AllOn, SiteMcpPolicy.ReadOnly).IsAllowed);
        // The person in the browser is not an agent: neither the site's policy nor their MCP settings bind them; the role still does.
        var person = PersonCalls.CallerFor(admin);
        Assert.True(AbilityPermission.Decide(person, write, 1, admin, McpSettingsSnapshot.AllOff, SiteMcpPolicy.Blocked).IsAllowed);
        Assert.Equal(Refusal.MissingCapability, AbilityPermission.Decide(person, write, 1, new SiteActor(7, false, Roles.Subscriber), McpSettingsSnapshot.AllOff, SiteMcpPolicy.Allow).Refusal);
    }

    [Fact]
    public void Decide_EveryLayerMustAllow()
    {
        var ability = Make(["content:write"], Caps.EditPosts);
        var author = new SiteActor(7, false, Roles.Author);
        Assert.True(AbilityPermission.Decide(Caller(["content:write"], [1]), ability, 1, author, AllOn, SiteMcpPolicy.Allow).IsAllowed);

        var noScope = AbilityPermission.Decide(Caller(["content:read"], [1]), ability, 1, author, AllOn, SiteMcpPolicy.Allow);
        Assert.Equal(Refusal.MissingScope, noScope.Refusal);
        Assert.Equal(["content:write"], noScope.Missing);

        Assert.Equal(Refusal.SiteNotGranted, AbilityPermission.Decide(Caller(["content:write"], [2]), ability, 1, author, AllOn, SiteMcpPolicy.Allow).Refusal);
        Assert.Equal(Refusal.NotAMember, AbilityPermission.Decide(Caller(["content:write"], [1]), ability, 1, new SiteActor(7, false, null), AllOn, SiteMcpPolicy.Allow).Refusal);

        var subscriber = AbilityPermission.Decide(Caller(["content:write"], [1]), ability, 1, new SiteActor(7, false, Roles.Subscriber), AllOn, SiteMcpPolicy.Allow);
        Assert.Equal(Refusal.MissingCapability, subscriber.Refusal);
        Assert.Equal([Caps.EditPosts], subscriber.Missing);
        Assert.Contains("edit_posts", subscriber.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ApplicationPasswordReachesEveryMemberSite_ButRoleStillApplies()
    {
        var ability = Make(["settings:read"], Caps.ManageOptions);
        var everywhere = Caller(["settings:read"], sites: null);
        Assert.True(AbilityPermission.Decide(everywhere, ability, 9, new SiteActor(7, false, Roles.Administrator), AllOn, SiteMcpPolicy.Allow).IsAllowed);
        Assert.Equal(Refusal.MissingCapability, AbilityPermission.Decide(everywhere, ability, 9, new SiteActor(7, false, Roles.Editor), AllOn, SiteMcpPolicy.Allow).Refusal);
    }

    [Fact]
    public void Registry_RefusesDuplicateNamesAndSortsByCategory()
    {
        var a = Make([], null, siteScoped: false);
        Assert.Throws<InvalidOperationException>(() => new AbilityRegistry([a, a]));
        var registry = new AbilityRegistry([a]);
        Assert.Same(a, registry.Find("posts/create"));
        Assert.Null(registry.Find("posts/nope"));
        Assert.Throws<ArgumentException>(() => TestAbilities.Make(new("noslash", "x", "x", "x", AbilityAnnotations.Read, [], null, SiteScoped: false,
            TestAbilityJson.Default.EmptyInput, TestAbilityJson.Default.EmptyInput)));
    }
}
