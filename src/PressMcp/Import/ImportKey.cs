using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PressMcp.Sites;

namespace PressMcp.Import;

/// <summary>
/// Remembers which local row an imported item became, so importing the same export again finds it
/// instead of creating a copy. <see cref="SourceKey"/> is built from the export's own identity of the item
/// (WXR post id and GUID for posts; the comment id within its post for comments).
/// </summary>
internal sealed class ImportKey
{
    public long SiteId { get; set; }
    /// <summary>One of <see cref="ImportKinds"/>.</summary>
    public required string Kind { get; set; }
    public required string SourceKey { get; set; }
    public long LocalId { get; set; }
}

internal static class ImportKinds
{
    /// <summary>Posts, pages and attachments: they share the site's post ids.</summary>
    public const string Post = "post";
    public const string Comment = "comment";
}

internal sealed class ImportKeyMapping : IEntityTypeConfiguration<ImportKey>
{
    /// <summary>Post keys are "{id} {guid}" with a GUID of at most 255 characters; comment keys add a comment id.</summary>
    public const int MaxSourceKeyLength = 320;

    public void Configure(EntityTypeBuilder<ImportKey> e)
    {
        e.HasKey(k => new { k.SiteId, k.Kind, k.SourceKey });
        e.Property(k => k.Kind).HasMaxLength(20);
        e.Property(k => k.SourceKey).HasMaxLength(MaxSourceKeyLength);
        e.HasOne<Site>().WithMany().HasForeignKey(k => k.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>How an export names its items; stable across exports of the same site.</summary>
internal static class SourceKeys
{
    /// <summary>
    /// The WXR post id alone is not enough (two exporting sites both have a post 1) and the GUID alone is not
    /// either (WordPress copies GUIDs when posts are duplicated); together they name one post of one source.
    /// </summary>
    public static string ForPost(long sourceId, string guid) =>
        string.Create(CultureInfo.InvariantCulture, $"{sourceId} {guid}");

    /// <summary>Comment ids are unique within the exporting site; the post key says which site that was.</summary>
    public static string ForComment(long sourceId, string postKey) =>
        string.Create(CultureInfo.InvariantCulture, $"{sourceId}@{postKey}");
}
