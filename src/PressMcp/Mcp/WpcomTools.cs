using PressMcp.Abilities;
using PressMcp.Accounts;

namespace PressMcp.Mcp;

/// <summary>
/// The WordPress.com-style endpoint's tools: each is a view over one ability, with WordPress.com's tool name.
/// Tools that act on a site take <c>wpcom_site</c> (id, slug or host name); the rest of the input is the ability's.
/// </summary>
internal sealed class WpcomTools(AbilityRegistry registry)
{
    public const string SiteArgument = "wpcom_site";

    private static readonly (string Tool, string Ability)[] Map =
    [
        ("wpcom-mcp-user-sites", UserAbilities.Sites),
        ("wpcom-mcp-user-profile", UserAbilities.Profile),
        ("wpcom-mcp-posts-search", Content.Abilities.PostSearchAbility.Name),
        ("wpcom-mcp-post-get", Content.Abilities.PostGetAbility.Name),
        ("wpcom-mcp-site-settings", Sites.Abilities.SiteAbilities.Settings),
        ("wpcom-mcp-site-users", Sites.Abilities.SiteAbilities.Users),
        ("wpcom-mcp-site-statistics", Publishing.Statistics.StatisticsAbility.Name),
    ];

    public IEnumerable<(string Tool, Ability Ability)> All() =>
        Map.Select(m => (m.Tool, registry.Find(m.Ability) ?? throw new InvalidOperationException($"ability {m.Ability} is not registered")));

    public Ability? Find(string tool) => Map.Where(m => m.Tool == tool).Select(m => registry.Find(m.Ability)).FirstOrDefault();
}
