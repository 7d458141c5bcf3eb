using System.Collections.Frozen;
using PressMcp.Abilities;

namespace PressMcp.Mcp.Settings;

/// <summary>
/// A user's MCP settings as one call sees them (read through <see cref="Abilities.CallerAccess"/>, which rereads
/// them whenever the access version moved, so a change applies to the next call). Immutable: shared by requests.
/// The rules of the switches live here and nowhere else.
/// </summary>
internal sealed class McpSettingsSnapshot(bool enabled, FrozenDictionary<string, bool> tools, FrozenDictionary<long, SiteMcpMode> sites)
{
    public static readonly McpSettingsSnapshot AllOff = new(false, FrozenDictionary<string, bool>.Empty, FrozenDictionary<long, SiteMcpMode>.Empty);

    public bool Enabled { get; } = enabled;

    /// <summary>An explicit switch wins; otherwise read abilities are on and write abilities off.</summary>
    public bool IsOn(Ability ability) => tools.TryGetValue(ability.Name, out var on) ? on : ability.Annotations.ReadOnly;

    public bool HasExplicitSwitch(string ability) => tools.ContainsKey(ability);

    public SiteMcpMode ModeOn(long siteId) => sites.GetValueOrDefault(siteId, SiteMcpMode.Inherit);

    /// <summary>Whether these settings let <paramref name="ability"/> run on <paramref name="siteId"/> (null: not site-scoped).</summary>
    public Refusal Check(Ability ability, long? siteId)
    {
        if (!Enabled) return Refusal.McpOff;
        if (!IsOn(ability)) return Refusal.ToolOff;
        if (siteId is not { } id) return Refusal.None;
        return ModeOn(id) switch
        {
            SiteMcpMode.Blocked => Refusal.SiteBlocked,
            SiteMcpMode.ReadOnly when !ability.Annotations.ReadOnly => Refusal.SiteReadOnly,
            _ => Refusal.None,
        };
    }
}
