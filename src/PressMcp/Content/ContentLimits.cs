using System.Globalization;

namespace PressMcp.Content;

/// <summary>
/// How large a post's content (and excerpt) may be, wherever it enters: abilities, pages and the importer.
/// WordPress itself stores up to 4 GB; a bound keeps one author (or one export) from making every view of a site
/// expensive. <c>Content:MaxContentLength</c> (environment <c>Content__MaxContentLength</c>), in characters,
/// default 4 Mi (4,194,304), between 1 Ki and 256 Mi.
/// </summary>
internal sealed class ContentLimits
{
    public const int DefaultMaxContentLength = 4 * 1024 * 1024;
    public const int MinimumMaxContentLength = 1024;
    public const int MaximumMaxContentLength = 256 * 1024 * 1024;
    public const string ConfigurationKey = "Content:MaxContentLength";

    public int MaxContentLength { get; init; } = DefaultMaxContentLength;

    /// <summary>The bound as people read it in an error message.</summary>
    public string MaxContentText => MaxContentLength.ToString("N0", CultureInfo.InvariantCulture) + " characters";

    public static ContentLimits From(IConfiguration configuration)
    {
        var text = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(text)) return new ContentLimits();
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var max)
            || max is < MinimumMaxContentLength or > MaximumMaxContentLength)
            throw new InvalidOperationException(
                $"{ConfigurationKey} must be a whole number of characters between {MinimumMaxContentLength} and {MaximumMaxContentLength}");
        return new ContentLimits { MaxContentLength = max };
    }

    /// <summary>For the command line, which reads no configuration files: the environment only.</summary>
    public static ContentLimits FromEnvironment() =>
        From(new ConfigurationBuilder().AddEnvironmentVariables().Build());
}
