using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PressMcp.Accounts;
using PressMcp.Sites;

namespace PressMcp.Mcp.Settings;

/// <summary>
/// A user's master switch for MCP. No row means off: a new account reaches nothing over MCP until its owner
/// turns it on (the consent page offers to, with the read tools).
/// </summary>
internal sealed class McpAccountSetting
{
    public long UserId { get; set; }
    public bool Enabled { get; set; }
    public DateTime UpdatedUtc { get; set; }
}

/// <summary>
/// An explicit per-ability switch. Without a row an ability follows the default: read abilities are on once
/// MCP is on, write abilities stay off until the user chooses them.
/// </summary>
internal sealed class McpToolSetting
{
    public long UserId { get; set; }
    public required string Ability { get; set; }
    public bool Enabled { get; set; }
}

/// <summary>How MCP may act on one site for one user, narrowing the account-wide switches.</summary>
internal enum SiteMcpMode
{
    /// <summary>The account's switches apply unchanged (the default; no row is stored).</summary>
    Inherit = 0,
    /// <summary>Only read abilities, whatever the switches say.</summary>
    ReadOnly = 1,
    /// <summary>No MCP tool may act on this site.</summary>
    Blocked = 2,
}

internal sealed class McpSiteSetting
{
    public long UserId { get; set; }
    public long SiteId { get; set; }
    public SiteMcpMode Mode { get; set; }
}

internal sealed class McpSettingsMapping :
    IEntityTypeConfiguration<McpAccountSetting>, IEntityTypeConfiguration<McpToolSetting>, IEntityTypeConfiguration<McpSiteSetting>
{
    public void Configure(EntityTypeBuilder<McpAccountSetting> e)
    {
        e.ToTable("mcp_account_settings");
        e.HasKey(s => s.UserId);
        e.HasOne<User>().WithOne().HasForeignKey<McpAccountSetting>(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<McpToolSetting> e)
    {
        e.ToTable("mcp_tool_settings");
        e.HasKey(s => new { s.UserId, s.Ability });
        e.Property(s => s.Ability).HasMaxLength(100);
        e.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<McpSiteSetting> e)
    {
        e.ToTable("mcp_site_settings");
        e.HasKey(s => new { s.UserId, s.SiteId });
        e.Property(s => s.Mode).HasConversion<string>().HasMaxLength(20);
        e.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Site>().WithMany().HasForeignKey(s => s.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}
