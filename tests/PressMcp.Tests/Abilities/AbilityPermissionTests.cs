using System.Text.Json;
using PressMcp.Abilities;
using PressMcp.Accounts;

namespace PressMcp.Tests.Abilities;

[Trait(Category.Name, Category.Unit)]
public sealed class AbilityPermissionTests
{
    private static Ability Make(string[] scopes, string? capability, bool siteScoped = true) =>
        new("posts/create", "Create post", "Creates a draft", "posts", """{"type":"object"}""", """{"type":"object"}""",
            AbilityAnnotations.Write, scopes, capability, siteScoped, (_, _) => Task.FromResult(Outcome<JsonElement>.Ok(default)));

    private static McpCaller Caller(string[] scopes, long[]? sites = null) =>
        new(7, false, scopes.ToHashSet(), sites?.ToHashSet(), "client", "wpcom");

    [Fact]
    public void Decide_EveryLayerMustAllow()
    {
        var ability = Make(["content:write"], Caps.EditPosts);
        var author = new SiteActor(7, false, Roles.Author);
        Assert.True(AbilityPermission.Decide(Caller(["content:write"], [1]), ability, 1, author).IsAllowed);

        var noScope = AbilityPermission.Decide(Caller(["content:read"], [1]), ability, 1, author);
        Assert.Equal(Refusal.MissingScope, noScope.Refusal);
        Assert.Equal(["content:write"], noScope.Missing);

        Assert.Equal(Refusal.SiteNotGranted, AbilityPermission.Decide(Caller(["content:write"], [2]), ability, 1, author).Refusal);
        Assert.Equal(Refusal.NotAMember, AbilityPermission.Decide(Caller(["content:write"], [1]), ability, 1, new SiteActor(7, false, null)).Refusal);

        var subscriber = AbilityPermission.Decide(Caller(["content:write"], [1]), ability, 1, new SiteActor(7, false, Roles.Subscriber));
        Assert.Equal(Refusal.MissingCapability, subscriber.Refusal);
        Assert.Equal([Caps.EditPosts], subscriber.Missing);
        Assert.Contains("edit_posts", subscriber.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ApplicationPasswordReachesEveryMemberSite_ButRoleStillApplies()
    {
        var ability = Make(["settings:read"], Caps.ManageOptions);
        var everywhere = Caller(["settings:read"], sites: null);
        Assert.True(AbilityPermission.Decide(everywhere, ability, 9, new SiteActor(7, false, Roles.Administrator)).IsAllowed);
        Assert.Equal(Refusal.MissingCapability, AbilityPermission.Decide(everywhere, ability, 9, new SiteActor(7, false, Roles.Editor)).Refusal);
    }

    [Fact]
    public void Registry_RefusesDuplicateNamesAndSortsByCategory()
    {
        var a = Make([], null, siteScoped: false);
        Assert.Throws<InvalidOperationException>(() => new AbilityRegistry([new Source(a, a)]));
        var registry = new AbilityRegistry([new Source(a)]);
        Assert.Same(a, registry.Find("posts/create"));
        Assert.Null(registry.Find("posts/nope"));
        Assert.Throws<ArgumentException>(() => new Ability("noslash", "x", "x", "x", "{}", "{}", AbilityAnnotations.Read, [], null, false, (_, _) => Task.FromResult(Outcome<JsonElement>.Ok(default))));
    }

    private sealed class Source(params Ability[] abilities) : IAbilitySource
    {
        public IEnumerable<Ability> Abilities() => abilities;
    }
}
