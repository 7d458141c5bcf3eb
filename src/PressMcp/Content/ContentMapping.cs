using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PressMcp.Accounts;
using PressMcp.Sites;

namespace PressMcp.Content;

internal sealed class PostMapping : IEntityTypeConfiguration<Post>
{
    public void Configure(EntityTypeBuilder<Post> e)
    {
        e.HasKey(p => new { p.SiteId, p.Id });
        e.Property(p => p.Id).ValueGeneratedNever();
        e.Ignore(p => p.Facts);
        e.Property(p => p.Type).HasMaxLength(20);
        e.Property(p => p.Status).HasMaxLength(20);
        e.Property(p => p.Slug).HasMaxLength(200);
        e.Property(p => p.CommentStatus).HasMaxLength(20);
        e.Property(p => p.PingStatus).HasMaxLength(20);
        e.Property(p => p.Format).HasMaxLength(20);
        e.Property(p => p.Password).HasMaxLength(255);
        e.Property(p => p.MimeType).HasMaxLength(100);
        e.Property(p => p.Guid).HasMaxLength(255);
        e.HasOne<Site>().WithMany().HasForeignKey(p => p.SiteId).OnDelete(DeleteBehavior.Cascade);
        // Authors may be deleted; their posts stay (WordPress reassigns or keeps them).
        e.HasOne<User>().WithMany().HasForeignKey(p => p.AuthorId).OnDelete(DeleteBehavior.SetNull);
        // Lists: latest posts of a type and status; slug look-ups for permalinks; page trees.
        e.HasIndex(p => new { p.SiteId, p.Type, p.Status, p.DateUtc });
        e.HasIndex(p => new { p.SiteId, p.Type, p.Slug });
        e.HasIndex(p => new { p.SiteId, p.ParentId });
        e.HasIndex(p => new { p.SiteId, p.AuthorId });
        e.HasIndex(p => new { p.SiteId, p.Guid });
        // Covers search's join and visibility filter without reading rows, whose large content
        // would otherwise be read for every full-text match (see Content/Search/PostSearch).
        e.HasIndex(p => new { p.SiteId, p.Id, p.Type, p.Status, p.AuthorId, p.DateUtc }, "ix_posts_search_cover");
        // The scheduled publisher's "future and due" across all sites: a partial index holds only scheduled posts.
        e.HasIndex(p => p.DateUtc).HasFilter("status = 'future'").HasDatabaseName("IX_posts_scheduled");
    }
}

internal sealed class PostMetaMapping : IEntityTypeConfiguration<PostMeta>
{
    public void Configure(EntityTypeBuilder<PostMeta> e)
    {
        e.HasKey(m => m.Id);
        e.Property(m => m.Key).HasMaxLength(255);
        e.HasOne<Post>().WithMany().HasForeignKey(m => new { m.SiteId, m.PostId }).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(m => new { m.SiteId, m.PostId, m.Key });
        e.HasIndex(m => new { m.SiteId, m.Key });
    }
}

internal sealed class TermMapping : IEntityTypeConfiguration<Term>
{
    public void Configure(EntityTypeBuilder<Term> e)
    {
        e.HasKey(t => new { t.SiteId, t.Id });
        e.Property(t => t.Id).ValueGeneratedNever();
        e.Property(t => t.Taxonomy).HasMaxLength(32);
        e.Property(t => t.Name).HasMaxLength(200);
        e.Property(t => t.Slug).HasMaxLength(200);
        e.HasIndex(t => new { t.SiteId, t.Taxonomy, t.Slug }).IsUnique();
        e.HasOne<Site>().WithMany().HasForeignKey(t => t.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PostTermMapping : IEntityTypeConfiguration<PostTerm>
{
    public void Configure(EntityTypeBuilder<PostTerm> e)
    {
        e.HasKey(pt => new { pt.SiteId, pt.PostId, pt.TermId });
        // With post_id, a term's posts are read from the index alone: search turns a category or tag filter into the set of
        // those posts once per query, and tests each full-text match against it (Content/Search/PostSearch).
        e.HasIndex(pt => new { pt.SiteId, pt.TermId, pt.PostId });
        e.HasOne<Post>().WithMany().HasForeignKey(pt => new { pt.SiteId, pt.PostId }).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Term>().WithMany().HasForeignKey(pt => new { pt.SiteId, pt.TermId }).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CommentMapping : IEntityTypeConfiguration<Comment>
{
    public void Configure(EntityTypeBuilder<Comment> e)
    {
        e.HasKey(c => new { c.SiteId, c.Id });
        e.Property(c => c.Id).ValueGeneratedNever();
        e.Property(c => c.AuthorName).HasMaxLength(250);
        e.Property(c => c.AuthorEmail).HasMaxLength(100);
        e.Property(c => c.AuthorUrl).HasMaxLength(200);
        e.Property(c => c.AuthorIp).HasMaxLength(100);
        e.Property(c => c.Status).HasMaxLength(20);
        e.Property(c => c.Type).HasMaxLength(20);
        e.HasOne<Post>().WithMany().HasForeignKey(c => new { c.SiteId, c.PostId }).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<User>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.SetNull);
        e.HasIndex(c => new { c.SiteId, c.PostId, c.Status });
        e.HasIndex(c => new { c.SiteId, c.Status, c.DateUtc });
    }
}

internal sealed class SiteDailyViewsMapping : IEntityTypeConfiguration<SiteDailyViews>
{
    public void Configure(EntityTypeBuilder<SiteDailyViews> e)
    {
        e.HasKey(v => new { v.SiteId, v.Day });
        e.HasOne<Site>().WithMany().HasForeignKey(v => v.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PostDailyViewsMapping : IEntityTypeConfiguration<PostDailyViews>
{
    public void Configure(EntityTypeBuilder<PostDailyViews> e)
    {
        e.HasKey(v => new { v.SiteId, v.PostId, v.Day });
        e.HasIndex(v => new { v.SiteId, v.Day });
        e.HasOne<Post>().WithMany().HasForeignKey(v => new { v.SiteId, v.PostId }).OnDelete(DeleteBehavior.Cascade);
    }
}
