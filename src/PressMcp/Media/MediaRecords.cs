namespace PressMcp.Media;

/// <summary>
/// The file behind an attachment post: title, caption (excerpt), uploader (author),
/// attached post (parent), upload date and MIME type live on the post; this holds what is about the file.
/// </summary>
internal sealed class MediaFile
{
    public long SiteId { get; set; }
    public long PostId { get; set; }
    /// <summary>
    /// Where an uploaded file lives below its site's media directory (<c>yyyy/mm/name.ext</c>), which is also its
    /// address below <c>/wp-content/uploads/</c>; null for an imported record whose file stayed at <see cref="SourceUrl"/>.
    /// </summary>
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
    /// <summary>
    /// <see cref="Name"/> folded for comparison (<see cref="FolderNames.Normalize"/>); unique among siblings, so two
    /// folders that differ only in case cannot exist side by side even when two requests race.
    /// </summary>
    public string NormalizedName { get; set; } = "";
    public long? ParentId { get; set; }
    public DateTime CreatedUtc { get; set; }
}

/// <summary>
/// A placement rule: media whose facts match every condition that is set belong in <see cref="FolderId"/>.
/// Enabled rules place new uploads (highest <see cref="Priority"/> first) and can be applied to the library.
/// </summary>
internal sealed class MediaRule
{
    public long Id { get; set; }
    public long SiteId { get; set; }
    public required string Name { get; set; }
    public long FolderId { get; set; }
    public bool Enabled { get; set; } = true;
    public int Priority { get; set; }
    /// <summary>An exact MIME type (<c>image/png</c>) or a family (<c>image/*</c>).</summary>
    public string? MimeType { get; set; }
    /// <summary>A glob on the file name (<c>*</c>, <c>?</c>), case-insensitive.</summary>
    public string? FileNamePattern { get; set; }
    public DateTime? UploadedAfterUtc { get; set; }
    public DateTime? UploadedBeforeUtc { get; set; }
    public long? MinSizeBytes { get; set; }
    public long? MaxSizeBytes { get; set; }
    public int? MinWidth { get; set; }
    public int? MaxWidth { get; set; }
    public int? MinHeight { get; set; }
    public int? MaxHeight { get; set; }
    public long? UploaderId { get; set; }
    /// <summary>What the rule is for, in the words of whoever made it (the plugin's <c>description</c>).</summary>
    public string? Description { get; set; }

    /// <summary>
    /// The plugin's conditions (<c>[{"type","operator","value"}]</c> on the file name, MIME type, title or alt text) as
    /// JSON; null when the rule uses the conditions above instead.
    /// </summary>
    public string? TextConditions
    {
        get => _textConditions;
        set
        {
            _textConditions = value;
            _parsed = null;
        }
    }

    /// <summary><see cref="TextConditions"/> read once per loaded rule: matching runs them against every item.</summary>
    public IReadOnlyList<TextCondition> ParsedTextConditions => _parsed ??= TextCondition.Parse(_textConditions);

    public DateTime CreatedUtc { get; set; }

    private string? _textConditions;
    private IReadOnlyList<TextCondition>? _parsed;
}
