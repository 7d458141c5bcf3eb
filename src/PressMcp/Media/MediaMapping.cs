using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PressMcp.Accounts;
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
        // Serving looks a file up by its address; two uploads can never share one (imported records have none).
        e.HasIndex(m => new { m.SiteId, m.StoragePath }).IsUnique();
    }
}

internal sealed class MediaFolderMapping : IEntityTypeConfiguration<MediaFolder>
{
    public void Configure(EntityTypeBuilder<MediaFolder> e)
    {
        e.HasKey(f => f.Id);
        e.Property(f => f.Name).HasMaxLength(200);
        e.Property(f => f.NormalizedName).HasMaxLength(200);
        e.HasOne<Site>().WithMany().HasForeignKey(f => f.SiteId).OnDelete(DeleteBehavior.Cascade);
        // A parent with children cannot be deleted by accident: the folder service moves or refuses first.
        e.HasOne<MediaFolder>().WithMany().HasForeignKey(f => f.ParentId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(f => new { f.SiteId, f.ParentId, f.Name });
        // Sibling names are unique regardless of case. NULLs are distinct in unique indexes on both providers,
        // so top-level folders (no parent) need an index of their own.
        e.HasIndex(f => new { f.SiteId, f.ParentId, f.NormalizedName }).IsUnique().HasFilter("parent_id IS NOT NULL")
            .HasDatabaseName("ix_media_folders_sibling_name");
        e.HasIndex(f => new { f.SiteId, f.NormalizedName }).IsUnique().HasFilter("parent_id IS NULL")
            .HasDatabaseName("ix_media_folders_top_name");
    }
}

internal sealed class MediaRuleMapping : IEntityTypeConfiguration<MediaRule>
{
    public void Configure(EntityTypeBuilder<MediaRule> e)
    {
        e.ToTable("media_rules");
        e.HasKey(r => r.Id);
        e.Property(r => r.Name).HasMaxLength(200);
        e.Property(r => r.MimeType).HasMaxLength(100);
        e.Property(r => r.FileNamePattern).HasMaxLength(255);
        e.Property(r => r.Description).HasMaxLength(1000);
        e.Property(r => r.TextConditions).HasMaxLength(TextCondition.MaxJsonLength);
        e.Ignore(r => r.ParsedTextConditions);
        e.HasOne<Site>().WithMany().HasForeignKey(r => r.SiteId).OnDelete(DeleteBehavior.Cascade);
        // A rule without its folder means nothing; the folder service records the rules it removes with the folder.
        e.HasOne<MediaFolder>().WithMany().HasForeignKey(r => r.FolderId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<User>().WithMany().HasForeignKey(r => r.UploaderId).OnDelete(DeleteBehavior.SetNull);
        e.HasIndex(r => new { r.SiteId, r.Priority });
    }
}
