using System.Globalization;

namespace PressMcp.Content;

/// <summary>
/// How large a post's content (and excerpt) may be, wherever it enters: abilities, pages and the importer.
/// WordPress itself stores up to 4 GB; a bound keeps one author (or one export) from making every view of a site
/// expensive. <c>Content:MaxContentLength</c> (environment <c>Content__MaxContentLength</c>), in characters,
/// default 4 Mi (4,194,304), between 1 Ki and 256 Mi; checked when the server or a command starts.
/// </summary>
internal sealed class ContentLimits : IPressOptions
{
    public const int DefaultMaxContentLength = 4 * 1024 * 1024;
    public const int MinimumMaxContentLength = 1024;
    public const int MaximumMaxContentLength = 256 * 1024 * 1024;
    public const string ConfigurationKey = "Content:MaxContentLength";

    public static string Section => "Content";

    public int MaxContentLength { get; set; } = DefaultMaxContentLength;

    /// <summary>The bound as people read it in an error message.</summary>
    public string MaxContentText => MaxContentLength.ToString("N0", CultureInfo.InvariantCulture) + " characters";

    public IEnumerable<string?> Problems()
    {
        yield return PressOptions.Range<ContentLimits, int>(nameof(MaxContentLength), MaxContentLength, MinimumMaxContentLength, MaximumMaxContentLength);
    }
}
