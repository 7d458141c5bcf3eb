using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Sites;

namespace PressMcp.Media.Scans;

internal static class ScanKinds
{
    public const string Cleanup = "cleanup";
    public const string Organizer = "organizer";
    /// <summary>A folder export (a ZIP archive): a job run by the same runner as the scans.</summary>
    public const string Export = "export";
}

internal static class ScanStatuses
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";
    /// <summary>Cut off by a stop or a crash: the server stopped while it ran, or its heartbeat went stale.</summary>
    public const string Interrupted = "interrupted";

    public static bool IsFinished(string status) => status is Completed or Cancelled or Failed or Interrupted;
}

/// <summary>
/// A background scan of one site's media library (a cleanup scan or an AI organizer run). The row is the truth that
/// every instance shares: the runner claims a queued row, then proves it is alive by moving <see cref="HeartbeatUtc"/>;
/// every change of status is a conditional update, so a cancel, an interruption and the runner's own progress never
/// overwrite one another.
/// </summary>
internal sealed class MediaScan
{
    public long Id { get; set; }
    public long SiteId { get; set; }
    public required string Kind { get; set; }
    /// <summary>What the scan was asked to do, as JSON (types and thresholds, or mode and dry run).</summary>
    public string Options { get; set; } = "{}";
    public string Status { get; set; } = ScanStatuses.Queued;
    /// <summary>Units of work done and to do (posts read and media items examined).</summary>
    public int Processed { get; set; }
    public int Total { get; set; }
    /// <summary>Results by reason, as JSON (<c>{"unused":3,"duplicate":1}</c>).</summary>
    public string Counts { get; set; } = "{}";
    public int ResultCount { get; set; }
    public long? StartedBy { get; set; }
    /// <summary>The start-scan call: the change records of the scan's writes (an organizer apply run) join its activity entry.</summary>
    public Guid CallId { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime? StartedUtc { get; set; }
    public DateTime? FinishedUtc { get; set; }
    public DateTime? HeartbeatUtc { get; set; }
    public string? Error { get; set; }
}

/// <summary>One finding of a scan: an attachment with a reason (unused, duplicate, oversized) or a proposed folder.</summary>
internal sealed class MediaScanResult
{
    public long Id { get; set; }
    public long ScanId { get; set; }
    public long SiteId { get; set; }
    public long AttachmentId { get; set; }
    /// <summary><c>unused</c>, <c>duplicate</c>, <c>oversized</c>, or <c>folder</c> for an organizer proposal.</summary>
    public required string Reason { get; set; }
    public long? ProposedFolderId { get; set; }
    /// <summary>What the finding rests on, as JSON (<c>duplicate_of</c>, sizes, the scoring reasons, the model's answer).</summary>
    public string Detail { get; set; } = "{}";
    /// <summary>Acted upon: archived, trashed, or moved by an organizer run in apply mode.</summary>
    public bool Applied { get; set; }
}

internal sealed class MediaScanMapping : IEntityTypeConfiguration<MediaScan>, IEntityTypeConfiguration<MediaScanResult>
{
    public void Configure(EntityTypeBuilder<MediaScan> e)
    {
        e.ToTable("media_scans");
        e.HasKey(s => s.Id);
        e.Property(s => s.Kind).HasMaxLength(20);
        e.Property(s => s.Status).HasMaxLength(20);
        e.Property(s => s.Options).HasMaxLength(4000);
        e.Property(s => s.Counts).HasMaxLength(1000);
        e.Property(s => s.Error).HasMaxLength(1000);
        e.HasOne<Site>().WithMany().HasForeignKey(s => s.SiteId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<User>().WithMany().HasForeignKey(s => s.StartedBy).OnDelete(DeleteBehavior.SetNull);
        e.HasIndex(s => new { s.SiteId, s.Kind, s.CreatedUtc });
        // The runner and the stale sweep look for queued and running scans of every site.
        e.HasIndex(s => new { s.Status, s.HeartbeatUtc });
    }

    public void Configure(EntityTypeBuilder<MediaScanResult> e)
    {
        e.ToTable("media_scan_results");
        e.HasKey(r => r.Id);
        e.Property(r => r.Reason).HasMaxLength(20);
        e.Property(r => r.Detail).HasMaxLength(8000);
        e.HasOne<MediaScan>().WithMany().HasForeignKey(r => r.ScanId).OnDelete(DeleteBehavior.Cascade);
        // A result about a media item that is gone means nothing: deleting the attachment removes it (the delete
        // action removes them itself as well, so the rule holds without relying on the cascade).
        e.HasOne<Post>().WithMany().HasForeignKey(r => new { r.SiteId, r.AttachmentId }).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(r => new { r.ScanId, r.Reason, r.AttachmentId });
        e.HasIndex(r => new { r.SiteId, r.AttachmentId });
    }
}
