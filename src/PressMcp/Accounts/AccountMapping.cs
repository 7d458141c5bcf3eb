using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PressMcp.Sites;

namespace PressMcp.Accounts;

internal sealed class UserMapping : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> e)
    {
        e.Property(u => u.DisplayName).HasMaxLength(250);
        e.Property(u => u.Website).HasMaxLength(UserProfileRules.MaxWebsiteLength);
        e.Property(u => u.Bio).HasMaxLength(UserProfileRules.MaxBioLength);
        e.Ignore(u => u.IsDisabled);
    }
}

internal sealed class SiteMemberMapping : IEntityTypeConfiguration<SiteMember>
{
    public void Configure(EntityTypeBuilder<SiteMember> e)
    {
        e.HasKey(m => new { m.SiteId, m.UserId });
        e.Property(m => m.Role).HasMaxLength(32);
        e.HasIndex(m => m.UserId);
        e.HasOne<Site>().WithMany().HasForeignKey(m => m.SiteId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
