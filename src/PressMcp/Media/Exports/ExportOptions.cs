using PressMcp.Storage;

namespace PressMcp.Media.Exports;

/// <summary>
/// Folder exports, from configuration (<c>Media:Exports:*</c>, <c>Media__Exports__*</c> in the environment):
/// <c>Directory</c> (default <c>&lt;data&gt;/exports</c>) where finished archives are kept; <c>MaxArchiveBytes</c>
/// (default 1 GB) and <c>MaxFiles</c> (default 5000) bound one archive, so an export can neither fill the disk nor
/// run for hours; <c>LinkMinutes</c> (default 60) how long a download link stays valid.
/// </summary>
internal sealed class ExportOptions : IPressOptions
{
    public static string Section => "Media:Exports";

    public string Directory { get; set; } = "";
    public long MaxArchiveBytes { get; set; } = 1024L * 1024 * 1024;
    public int MaxFiles { get; set; } = 5000;
    public double LinkMinutes { get; set; } = 60;

    public TimeSpan LinkLifetime => TimeSpan.FromMinutes(LinkMinutes);

    /// <summary>The configured directory (relative to the current directory), or <c>exports</c> in the data directory.</summary>
    public static string DirectoryFor(string? configured, StorageSettings storage) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.Combine(storage.DataDirectory, "exports") : configured);

    public IEnumerable<string?> Problems()
    {
        yield return PressOptions.Range<ExportOptions, long>(nameof(MaxArchiveBytes), MaxArchiveBytes, 1024, 64L * 1024 * 1024 * 1024);
        yield return PressOptions.Range<ExportOptions, int>(nameof(MaxFiles), MaxFiles, 1, 1_000_000);
        // A link lives at least a minute (time to click it) and at most a week.
        yield return PressOptions.Range<ExportOptions, double>(nameof(LinkMinutes), LinkMinutes, 1, 7 * 24 * 60);
    }
}
