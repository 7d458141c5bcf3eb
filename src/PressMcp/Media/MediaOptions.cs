using System.Globalization;
using PressMcp.Storage;

namespace PressMcp.Media;

/// <summary>
/// Where uploaded files live and how large they may be. <c>Media:Root</c> (default <c>&lt;data&gt;/media</c>) and
/// <c>Media:MaxUploadBytes</c> (default 25 MB) come from configuration (<c>Media__Root</c>, <c>Media__MaxUploadBytes</c>
/// in the environment).
/// </summary>
internal sealed class MediaOptions : IPressOptions
{
    public static string Section => "Media";

    public const long DefaultMaxUploadBytes = 25L * 1024 * 1024;
    /// <summary>Room for the JSON-RPC envelope and the other upload fields around the base64 data.</summary>
    private const int EnvelopeBytes = 256 * 1024;

    /// <summary>An absolute path once configured (<see cref="MediaServices"/> fills in the default under the data directory).</summary>
    public string Root { get; set; } = "";
    public long MaxUploadBytes { get; set; } = DefaultMaxUploadBytes;

    /// <summary>The media directory: the configured one (relative to the current directory), or <c>media</c> in the data directory.</summary>
    public static string RootFor(string? configured, StorageSettings storage) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.Combine(storage.DataDirectory, "media") : configured);

    /// <summary>
    /// The request body an MCP endpoint that serves <c>media/upload</c> must accept: base64 is 4/3 of the bytes,
    /// plus the envelope. Endpoints without upload keep the transport's own small limit.
    /// </summary>
    public int McpBodyLimit => (int)Math.Min(int.MaxValue, (MaxUploadBytes + 2) / 3 * 4 + EnvelopeBytes);

    /// <summary>The multipart request of the media page: the file plus the form fields and boundaries.</summary>
    public long FormBodyLimit => MaxUploadBytes + EnvelopeBytes;

    /// <summary>The limit as people read it (25 MB), for error messages.</summary>
    public string MaxUploadText => Describe(MaxUploadBytes);

    public static string Describe(long bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => (bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + " MB",
        >= 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
        >= 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };

    // A limit above 1 GB would not fit a base64 request in memory; below 1 KB nothing useful fits.
    public IEnumerable<string?> Problems()
    {
        yield return PressOptions.Range<MediaOptions, long>(nameof(MaxUploadBytes), MaxUploadBytes, 1024, 1024L * 1024 * 1024);
    }
}
