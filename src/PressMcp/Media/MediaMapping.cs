using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PressMcp.Content;
using PressMcp.Sites;

namespace PressMcp.Media;

internal sealed class MediaFileMapping : IEntityTypeConfiguration<MediaFile>
{
    public void Configure(EntityTypeBuilder<MediaFile> e)
    {
        e.HasKey(m => new { m.SiteId, m.PostId });
        e.Property(m => m.StoragePath).HasMaxLength(500);
        e.Property(m => m.SourceUrl).HasMaxLength(2000);
        e.Property(m => m.FileName).HasMaxLength(255);
        e.Property(m => m.AltText).HasMaxLength(1000);
        e.Property(m => m.ContentHash).HasMaxLength(64);
        e.HasOne<Post>().WithOne().HasForeignKey<MediaFile>(m => new { m.SiteId, m.PostId }).OnDelete(DeleteBehavior.Cascade);
        // Deleting a folder unassigns its media; it never deletes them.
        e.HasOne<MediaFolder>().WithMany().HasForeignKey(m => m.FolderId).OnDelete(DeleteBehavior.SetNull);
        e.HasIndex(m => new { m.SiteId, m.FolderId });
        e.HasIndex(m => new { m.SiteId, m.ContentHash });
    }
}

internal sealed class MediaFolderMapping : IEntityTypeConfiguration<MediaFolder>
{
    public void Configure(EntityTypeBuilder<MediaFolder> e)
    {
        e.HasKey(f => f.Id);
        e.Property(f => f.Name).HasMaxLength(200);
        e.HasOne<Site>().WithMany().HasForeignKey(f => f.SiteId).OnDelete(DeleteBehavior.Cascade);
        // A parent with children cannot be deleted by accident: the folder service moves or refuses first.
        e.HasOne<MediaFolder>().WithMany().HasForeignKey(f => f.ParentId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(f => new { f.SiteId, f.ParentId, f.Name });
    }
}
