using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PressMcp.Accounts;
using PressMcp.Sites;

namespace PressMcp.OAuth.Model;

internal static class OAuthColumns
{
    /// <summary>Client ids may be metadata document URLs; the draft caps nothing, we cap at a sane length.</summary>
    public const int ClientIdLength = 400;
    public const int UriLength = 2000;
    public const int HashLength = 64;
}

internal sealed class OAuthClientMapping : IEntityTypeConfiguration<OAuthClient>
{
    public void Configure(EntityTypeBuilder<OAuthClient> e)
    {
        e.HasKey(c => c.Id);
        e.Property(c => c.Id).HasMaxLength(OAuthColumns.ClientIdLength);
        e.Property(c => c.Name).HasMaxLength(200);
        e.Property(c => c.Scope).HasMaxLength(1000);
        e.Property(c => c.ApplicationType).HasMaxLength(16);
        e.Property(c => c.ClientUri).HasMaxLength(OAuthColumns.UriLength);
        e.Property(c => c.LogoUri).HasMaxLength(OAuthColumns.UriLength);
        e.Ignore(c => c.RedirectUriList);
        e.HasIndex(c => c.CreatedUtc);
    }
}

internal sealed class OAuthGrantMapping : IEntityTypeConfiguration<OAuthGrant>
{
    public void Configure(EntityTypeBuilder<OAuthGrant> e)
    {
        e.HasKey(g => g.Id);
        e.Property(g => g.ClientId).HasMaxLength(OAuthColumns.ClientIdLength);
        e.Property(g => g.Resource).HasMaxLength(OAuthColumns.UriLength);
        e.Property(g => g.Scope).HasMaxLength(1000);
        e.HasIndex(g => new { g.UserId, g.ClientId, g.Resource }).IsUnique();
        e.HasIndex(g => g.ClientId);
        e.HasOne<User>().WithMany().HasForeignKey(g => g.UserId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<OAuthClient>().WithMany().HasForeignKey(g => g.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OAuthGrantSiteMapping : IEntityTypeConfiguration<OAuthGrantSite>
{
    public void Configure(EntityTypeBuilder<OAuthGrantSite> e)
    {
        e.HasKey(s => new { s.GrantId, s.SiteId });
        e.HasIndex(s => s.SiteId);
        e.HasOne<OAuthGrant>().WithMany().HasForeignKey(s => s.GrantId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Site>().WithMany().HasForeignKey(s => s.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OAuthGrantEventMapping : IEntityTypeConfiguration<OAuthGrantEvent>
{
    public void Configure(EntityTypeBuilder<OAuthGrantEvent> e)
    {
        e.HasKey(v => v.Id);
        e.Property(v => v.Message).HasMaxLength(500);
        e.HasIndex(v => v.GrantId);
        e.HasOne<OAuthGrant>().WithMany().HasForeignKey(v => v.GrantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OAuthCodeMapping : IEntityTypeConfiguration<OAuthCode>
{
    public void Configure(EntityTypeBuilder<OAuthCode> e)
    {
        e.HasKey(c => c.Hash);
        e.Property(c => c.Hash).HasMaxLength(OAuthColumns.HashLength);
        e.Property(c => c.ClientId).HasMaxLength(OAuthColumns.ClientIdLength);
        e.Property(c => c.RedirectUri).HasMaxLength(OAuthColumns.UriLength);
        e.Property(c => c.CodeChallenge).HasMaxLength(128);
        e.Property(c => c.Scope).HasMaxLength(1000);
        e.Property(c => c.Resource).HasMaxLength(OAuthColumns.UriLength);
        e.Property(c => c.FamilyId).HasMaxLength(32);
        e.HasIndex(c => c.ExpiresUtc);
        e.HasOne<OAuthGrant>().WithMany().HasForeignKey(c => c.GrantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OAuthTokenMapping : IEntityTypeConfiguration<OAuthToken>
{
    public void Configure(EntityTypeBuilder<OAuthToken> e)
    {
        e.HasKey(t => t.Hash);
        e.Property(t => t.Hash).HasMaxLength(OAuthColumns.HashLength);
        e.Property(t => t.ParentHash).HasMaxLength(OAuthColumns.HashLength);
        e.Property(t => t.FamilyId).HasMaxLength(32);
        e.Property(t => t.ClientId).HasMaxLength(OAuthColumns.ClientIdLength);
        e.Property(t => t.Scope).HasMaxLength(1000);
        e.Property(t => t.Resource).HasMaxLength(OAuthColumns.UriLength);
        e.HasIndex(t => t.FamilyId);
        e.HasIndex(t => t.ParentHash);
        e.HasIndex(t => t.ExpiresUtc);
        e.HasOne<OAuthGrant>().WithMany().HasForeignKey(t => t.GrantId).OnDelete(DeleteBehavior.Cascade);
    }
}
