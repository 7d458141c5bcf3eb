using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PressMcp.Sites;

internal sealed class SiteMapping : IEntityTypeConfiguration<Site>
{
    public void Configure(EntityTypeBuilder<Site> e)
    {
        e.HasKey(s => s.Id);
        e.Property(s => s.Slug).HasMaxLength(SiteRules.MaxSlugLength);
        e.HasIndex(s => s.Slug).IsUnique();
        e.Property(s => s.Title).HasMaxLength(200);
        e.Property(s => s.Tagline).HasMaxLength(500);
        e.Property(s => s.HostName).HasMaxLength(253);
        e.HasIndex(s => s.HostName).IsUnique();
        e.Property(s => s.TimeZone).HasMaxLength(64);
        e.Property(s => s.Language).HasMaxLength(16);
        e.Property(s => s.PermalinkStructure).HasMaxLength(64).HasDefaultValue(Permalinks.DayAndName);
        e.Property(s => s.McpPolicy).HasConversion(p => SiteMcpPolicies.Text(p), t => SiteMcpPolicies.Parse(t) ?? SiteMcpPolicy.Allow).HasMaxLength(16);
    }
}

internal sealed class SiteOptionMapping : IEntityTypeConfiguration<SiteOption>
{
    public void Configure(EntityTypeBuilder<SiteOption> e)
    {
        e.HasKey(o => new { o.SiteId, o.Name });
        e.Property(o => o.Name).HasMaxLength(191);
        e.HasOne<Site>().WithMany().HasForeignKey(o => o.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}
