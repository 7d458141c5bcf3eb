namespace PressMcp.Media;

/// <summary>
/// The file behind an attachment post: title, caption (excerpt), uploader (author),
/// attached post (parent) and upload date live on the post; this holds what is about the file.
/// </summary>
internal sealed class MediaFile
{
    public long SiteId { get; set; }
    public long PostId { get; set; }
    /// <summary>Path relative to the data directory, or null for an imported record whose file stayed at <see cref="SourceUrl"/>.</summary>
    public string? StoragePath { get; set; }
    public string? SourceUrl { get; set; }
    public string FileName { get; set; } = "";
    public long SizeBytes { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    public string AltText { get; set; } = "";
    /// <summary>SHA-256 of the bytes, hex; finds duplicates.</summary>
    public string? ContentHash { get; set; }
    /// <summary>The virtual folder holding it; at most one.</summary>
    public long? FolderId { get; set; }
}

/// <summary>A virtual media folder. Deleting one never deletes files: its media become unassigned.</summary>
internal sealed class MediaFolder
{
    public long Id { get; set; }
    public long SiteId { get; set; }
    public required string Name { get; set; }
    public long? ParentId { get; set; }
    public DateTime CreatedUtc { get; set; }
}
