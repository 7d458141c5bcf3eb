using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PressMcp.Sites;

namespace PressMcp.Publishing.Statistics;

/// <summary>
/// Views of a site on one day that came from a link on another site: the referring page's host name only (never its
/// path or query, which can carry a person's search words or a session), lower case.
/// </summary>
internal sealed class SiteDailyReferrers
{
    public const int MaxHostLength = 253;

    public long SiteId { get; set; }
    public DateOnly Day { get; set; }
    public required string Host { get; set; }
    public long Views { get; set; }
}

/// <summary>
/// Page loads of a site on one day by the class of the client's User-Agent (<see cref="DeviceClasses"/>). Robots are
/// counted here (as <c>bot</c>) although they are not views.
/// </summary>
internal sealed class SiteDailyDevices
{
    public long SiteId { get; set; }
    public DateOnly Day { get; set; }
    public required string Device { get; set; }
    public long Views { get; set; }
}

internal sealed class SiteDailyReferrersMapping : IEntityTypeConfiguration<SiteDailyReferrers>
{
    public void Configure(EntityTypeBuilder<SiteDailyReferrers> e)
    {
        e.ToTable("site_daily_referrers");
        e.HasKey(v => new { v.SiteId, v.Day, v.Host });
        e.Property(v => v.Host).HasMaxLength(SiteDailyReferrers.MaxHostLength);
        e.HasOne<Site>().WithMany().HasForeignKey(v => v.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SiteDailyDevicesMapping : IEntityTypeConfiguration<SiteDailyDevices>
{
    public void Configure(EntityTypeBuilder<SiteDailyDevices> e)
    {
        e.ToTable("site_daily_devices");
        e.HasKey(v => new { v.SiteId, v.Day, v.Device });
        e.Property(v => v.Device).HasMaxLength(10);
        e.HasOne<Site>().WithMany().HasForeignKey(v => v.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}
