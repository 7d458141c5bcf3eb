using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Mcp.Settings;

/// <summary>Reads and changes a user's MCP settings (the signed-in settings page, the consent page, tests).</summary>
internal sealed class McpSettingsStore(PressDbContext db, TimeProvider clock)
{
    /// <summary>
    /// The settings a call is decided by (the call path reads them through <see cref="Abilities.CallerAccess"/>,
    /// cached for one access version): the master switch, the per-tool switches and the per-site modes in one round
    /// trip (UNION ALL of the three tables). With MCP off nothing else matters; <paramref name="whole"/> keeps the switches anyway
    /// (the settings page shows them while MCP is off).
    /// </summary>
    public async Task<McpSettingsSnapshot> LoadAsync(long userId, CancellationToken ct = default, bool whole = false)
    {
        var enabled = false;
        Dictionary<string, bool>? tools = null;
        Dictionary<long, SiteMcpMode>? sites = null;
        await foreach (var row in db.Database.SqlQuery<SettingRow>(SettingRows(userId)).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (row.SiteId is { } siteId)
            {
                if (Enum.TryParse<SiteMcpMode>(row.Name, out var mode)) (sites ??= [])[siteId] = mode;
            }
            else if (row.Name is { } ability) (tools ??= new(StringComparer.Ordinal))[ability] = row.On != 0;
            else enabled = row.On != 0;
        }
        if (!enabled && !whole) return McpSettingsSnapshot.AllOff;
        return new McpSettingsSnapshot(enabled,
            tools?.ToFrozenDictionary(StringComparer.Ordinal) ?? FrozenDictionary<string, bool>.Empty,
            sites?.ToFrozenDictionary() ?? FrozenDictionary<long, SiteMcpMode>.Empty);
    }

    /// <summary>
    /// One row of any of the three settings tables in a common shape: a site mode (SiteId and the mode's stored
    /// name), a tool switch (Name is the ability), or the master switch (neither).
    /// </summary>
    private sealed class SettingRow
    {
        public string? Name { get; set; }
        public long? SiteId { get; set; }
        public int On { get; set; }
    }

    // Hand-written SQL, the same on both providers (snake_case tables): EF Core cannot put the three tables in one
    // UNION ALL because the site mode is stored as text through a value converter. The site branch comes first so
    // PostgreSQL types the columns from real columns (it resolves a UNION pairwise, and NULL ∪ NULL would be text).
    private static FormattableString SettingRows(long userId) => $"""
        SELECT mode AS "Name", site_id AS "SiteId", 0 AS "On" FROM mcp_site_settings WHERE user_id = {userId}
        UNION ALL SELECT ability, NULL, CASE WHEN enabled THEN 1 ELSE 0 END FROM mcp_tool_settings WHERE user_id = {userId}
        UNION ALL SELECT NULL, NULL, CASE WHEN enabled THEN 1 ELSE 0 END FROM mcp_account_settings WHERE user_id = {userId}
        """;

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
