using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Mcp.Settings;

/// <summary>Reads and changes a user's MCP settings (the signed-in settings page, the consent page, tests).</summary>
internal sealed class McpSettingsStore(PressDbContext db, TimeProvider clock)
{
    /// <summary>
    /// The settings a call is decided by. With MCP off nothing else matters, so only the master switch is read;
    /// <paramref name="whole"/> reads everything anyway (the settings page shows the switches while MCP is off).
    /// </summary>
    public async Task<McpSettingsSnapshot> LoadAsync(long userId, CancellationToken ct = default, bool whole = false)
    {
        var enabled = await db.McpAccountSettings.Where(s => s.UserId == userId).Select(s => s.Enabled).FirstOrDefaultAsync(ct);
        if (!enabled && !whole) return McpSettingsSnapshot.AllOff;
        var tools = await db.McpToolSettings.Where(s => s.UserId == userId).ToDictionaryAsync(s => s.Ability, s => s.Enabled, StringComparer.Ordinal, ct);
        var sites = await db.McpSiteSettings.Where(s => s.UserId == userId).ToDictionaryAsync(s => s.SiteId, s => s.Mode, ct);
        return new McpSettingsSnapshot(enabled, tools.ToFrozenDictionary(StringComparer.Ordinal), sites.ToFrozenDictionary());
    }

    /// <summary>Turns MCP on or off. Turning it on keeps earlier per-tool choices; with none, only read tools are on.</summary>
    public async Task SetEnabledAsync(long userId, bool enabled, CancellationToken ct = default)
    {
        var row = await db.McpAccountSettings.FirstOrDefaultAsync(s => s.UserId == userId, ct);
        if (row is null) db.McpAccountSettings.Add(row = new McpAccountSetting { UserId = userId });
        row.Enabled = enabled;
        row.UpdatedUtc = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Sets explicit switches for abilities (all in one save).</summary>
    public async Task SetToolsAsync(long userId, IReadOnlyDictionary<string, bool> switches, CancellationToken ct = default)
    {
        var names = switches.Keys.ToList();
        var rows = await db.McpToolSettings.Where(s => s.UserId == userId && names.Contains(s.Ability)).ToDictionaryAsync(s => s.Ability, StringComparer.Ordinal, ct);
        foreach (var (name, on) in switches)
        {
            if (!rows.TryGetValue(name, out var row)) db.McpToolSettings.Add(row = new McpToolSetting { UserId = userId, Ability = name });
            row.Enabled = on;
        }
        await db.SaveChangesAsync(ct);
    }

    public async Task SetSiteModeAsync(long userId, long siteId, SiteMcpMode mode, CancellationToken ct = default)
    {
        var row = await db.McpSiteSettings.FirstOrDefaultAsync(s => s.UserId == userId && s.SiteId == siteId, ct);
        if (mode == SiteMcpMode.Inherit)
        {
            if (row is not null) db.McpSiteSettings.Remove(row);
        }
        else
        {
            if (row is null) db.McpSiteSettings.Add(row = new McpSiteSetting { UserId = userId, SiteId = siteId });
            row.Mode = mode;
        }
        await db.SaveChangesAsync(ct);
    }
}
