using System.Globalization;
using System.Text.RegularExpressions;

namespace PressMcp.Sites;

internal enum SettingType
{
    Text,
    Integer,
    Boolean,
    Choice,
    /// <summary>An IANA time zone this machine knows (<see cref="SiteRules.ValidateTimeZone"/>).</summary>
    TimeZone,
    /// <summary>A language tag such as <c>en-US</c> (the public site's <c>lang</c>).</summary>
    Language,
}

/// <summary>
/// One setting PressMcp knows: its settings section, type, default, allowed values and bounds, the words a page shows
/// for it, and whether a person or an agent may change it (<see cref="Writable"/>). Title, tagline, time zone,
/// language and the MCP policy are columns of <see cref="Site"/> (<see cref="IsColumn"/>); the rest are rows of
/// <see cref="SiteOption"/> with these defaults.
/// </summary>
internal sealed partial record SettingDefinition(string Section, string Name, SettingType Type, string Default, string Label, IReadOnlyList<string>? Choices = null)
{
    /// <summary>Changed through <c>site/update-settings</c> (and so the settings page); the others are only read.</summary>
    public bool Writable { get; init; }
    public bool IsColumn { get; init; }
    public long Min { get; init; } = long.MinValue;
    public long Max { get; init; } = long.MaxValue;
    public int MinLength { get; init; }
    public int MaxLength { get; init; } = 2000;
    /// <summary>Values a page offers beside a free text (WordPress's date and time formats); not enforced.</summary>
    public IReadOnlyList<string>? Suggestions { get; init; }
    /// <summary>A sentence a page shows under the field.</summary>
    public string? Help { get; init; }

    [GeneratedRegex("^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,3}$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageTag();

    /// <summary>Returns null when <paramref name="value"/> is acceptable, otherwise what is wrong (naming the setting).</summary>
    public string? Validate(string value) => Type switch
    {
        SettingType.Integer when !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            => $"{Name} must be a whole number",
        SettingType.Integer when long.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) is var n && (n < Min || n > Max)
            => string.Create(CultureInfo.InvariantCulture, $"{Name} must be between {Min} and {Max}"),
        SettingType.Boolean when value is not ("0" or "1") => $"{Name} must be 0 or 1",
        SettingType.Choice when Choices is not null && !Choices.Contains(value) => $"{Name} must be one of {string.Join(", ", Choices)}",
        SettingType.TimeZone => SiteRules.ValidateTimeZone(value),
        SettingType.Language when value.Length > 35 || !LanguageTag().IsMatch(value) => $"{Name} must be a language tag such as en-US or fr",
        SettingType.Text when value.Trim().Length < MinLength => $"{Name} is empty",
        SettingType.Text when value.Length > MaxLength => string.Create(CultureInfo.InvariantCulture, $"{Name} is longer than {MaxLength} characters"),
        SettingType.Text when value.Any(char.IsControl) => $"{Name} contains control characters",
        _ => null,
    };
}

/// <summary>
/// WordPress's settings screens (General, Reading, Discussion, Media, Permalinks) as data: the one list the settings page, the read
/// ability (<c>site/settings</c>) and the write ability (<c>site/update-settings</c>) all work from, so a setting, its
/// bounds and its words are declared once.
/// </summary>
internal static class SiteSettingsCatalog
{
    public const string General = "general";
    public const string Reading = "reading";
    public const string Discussion = "discussion";
    public const string MediaSection = "media";
    public const string PermalinksSection = "permalinks";
    public const string Writing = "writing";
    /// <summary>
    /// Not a screen of its own: WordPress.com's privacy section gathers who may see and use the site, settings that
    /// PressMcp's screens show under Reading and General (<see cref="PrivacySettings"/>). Read-only view; each is
    /// changed under its own name as before.
    /// </summary>
    public const string Privacy = "privacy";

    public const string Title = "title";
    public const string Tagline = "tagline";
    public const string TimeZone = "timezone";
    public const string Language = "language";
    public const string McpPolicy = "mcp_policy";
    public const string DateFormat = "date_format";
    public const string TimeFormat = "time_format";
    public const string PostsPerPage = "posts_per_page";
    public const string PermalinkStructure = "permalink_structure";

    public const int MaxTitleLength = 200;
    public const int MaxFormatLength = 50;

    public static readonly IReadOnlyList<string> Sections = [General, Writing, Reading, Discussion, MediaSection, PermalinksSection, Privacy];

    /// <summary>The settings the privacy section shows: search engine visibility and the site's policy for MCP apps.</summary>
    public static readonly IReadOnlyList<string> PrivacySettings = ["blog_public", McpPolicy];

    // Image sizes in pixels: WordPress accepts any non-negative number; 10 000 bounds what a typo can ask of a resizer.
    private const long MaxImageSide = 10_000;

    /// <summary>Every setting, in the order the settings page shows them.</summary>
    public static readonly IReadOnlyList<SettingDefinition> All =
    [
        new(General, Title, SettingType.Text, "", "Site title") { Writable = true, IsColumn = true, MinLength = 1, MaxLength = MaxTitleLength },
        new(General, Tagline, SettingType.Text, "", "Tagline") { Writable = true, IsColumn = true, MaxLength = 200, Help = "In a few words, explain what this site is about." },
        new(General, TimeZone, SettingType.TimeZone, "UTC", "Time zone") { Writable = true, IsColumn = true, Help = "Dates on the site and in these pages are shown in this zone." },
        new(General, Language, SettingType.Language, "en-US", "Site language") { Writable = true, IsColumn = true, Help = "A language tag such as en-US, fr or pt-BR; the public pages declare it." },
        new(General, McpPolicy, SettingType.Choice, SiteMcpPolicies.Allow, "MCP apps on this site", SiteMcpPolicies.All) { Writable = true, IsColumn = true },
        new(General, DateFormat, SettingType.Text, "F j, Y", "Date format") { Writable = true, MinLength = 1, MaxLength = MaxFormatLength, Suggestions = ["F j, Y", "Y-m-d", "m/d/Y", "d/m/Y"] },
        new(General, TimeFormat, SettingType.Text, "g:i a", "Time format") { Writable = true, MinLength = 1, MaxLength = MaxFormatLength, Suggestions = ["g:i a", "g:i A", "H:i"] },
        new(General, "start_of_week", SettingType.Integer, "1", "Week starts on") { Writable = true, Min = 0, Max = 6, Help = "0 is Sunday, 1 Monday, … 6 Saturday." },
        new(General, "admin_email", SettingType.Text, "", "Administration e-mail address"),
        new(Writing, "default_category", SettingType.Integer, "0", "Default post category")
        {
            Help = "Posts written without a category get this one; 0, or a category that no longer exists, means the one with the slug uncategorized.",
        },
        new(Reading, PostsPerPage, SettingType.Integer, "10", "Blog pages show at most (posts)") { Writable = true, Min = 1, Max = 100 },
        new(Reading, "posts_per_rss", SettingType.Integer, "10", "Syndication feeds show the most recent (items)"),
        new(Reading, "show_on_front", SettingType.Choice, "posts", "Your homepage displays", ["posts", "page"]),
        new(Reading, "page_on_front", SettingType.Integer, "0", "Homepage"),
        new(Reading, "page_for_posts", SettingType.Integer, "0", "Posts page"),
        new(Reading, "blog_public", SettingType.Boolean, "1", "Allow search engines to index this site") { Writable = true, Help = "When off, the public pages ask search engines not to index them; it is up to search engines to honour the request." },
        new(Discussion, "default_comment_status", SettingType.Choice, "open", "Comments on new posts", ["open", "closed"]) { Writable = true, Help = "Open: people may comment on new posts (each post can change it)." },
        new(Discussion, "default_ping_status", SettingType.Choice, "open", "Pingbacks and trackbacks on new posts", ["open", "closed"]),
        new(Discussion, "comment_moderation", SettingType.Boolean, "0", "Hold every comment for moderation") { Writable = true },
        new(Discussion, "comment_previously_approved", SettingType.Boolean, "1", "Hold a comment unless its author has a previously approved comment") { Writable = true },
        new(Discussion, "comment_registration", SettingType.Boolean, "0", "Users must be registered and logged in to comment") { Writable = true, Help = "PressMcp has no anonymous comment form: comments come from signed-in members and their apps, so this holds already. It is kept for exports." },
        new(Discussion, "require_name_email", SettingType.Boolean, "1", "Comment author must fill out name and e-mail") { Writable = true, Help = "Members always have a name and an e-mail address, so this holds already. It is kept for exports." },
        new(Discussion, "close_comments_for_old_posts", SettingType.Boolean, "0", "Close comments on old posts"),
        new(Discussion, "close_comments_days_old", SettingType.Integer, "14", "Close comments after (days)"),
        new(Discussion, "thread_comments", SettingType.Boolean, "1", "Threaded comments"),
        new(Discussion, "thread_comments_depth", SettingType.Integer, "5", "Threaded comments depth"),
        new(Discussion, "page_comments", SettingType.Boolean, "0", "Break comments into pages"),
        new(Discussion, "comments_per_page", SettingType.Integer, "50", "Comments per page"),
        new(Discussion, "comment_order", SettingType.Choice, "asc", "Comments order", ["asc", "desc"]),
        new(MediaSection, "thumbnail_size_w", SettingType.Integer, "150", "Thumbnail width") { Writable = true, Min = 0, Max = MaxImageSide },
        new(MediaSection, "thumbnail_size_h", SettingType.Integer, "150", "Thumbnail height") { Writable = true, Min = 0, Max = MaxImageSide },
        new(MediaSection, "thumbnail_crop", SettingType.Boolean, "1", "Crop thumbnails to exact dimensions") { Writable = true },
        new(MediaSection, "medium_size_w", SettingType.Integer, "300", "Medium size: max width") { Writable = true, Min = 0, Max = MaxImageSide },
        new(MediaSection, "medium_size_h", SettingType.Integer, "300", "Medium size: max height") { Writable = true, Min = 0, Max = MaxImageSide },
        new(MediaSection, "large_size_w", SettingType.Integer, "1024", "Large size: max width") { Writable = true, Min = 0, Max = MaxImageSide },
        new(MediaSection, "large_size_h", SettingType.Integer, "1024", "Large size: max height") { Writable = true, Min = 0, Max = MaxImageSide },
        new(MediaSection, "uploads_use_yearmonth_folders", SettingType.Boolean, "1", "Organize uploads into month- and year-based folders"),
        new(PermalinksSection, PermalinkStructure, SettingType.Choice, Permalinks.DayAndName, "Post addresses", Permalinks.All)
        {
            Writable = true, IsColumn = true,
            Help = "Pages, categories and tags keep their addresses. Links made under another choice lead to the new address.",
        },
    ];

    /// <summary>The settings kept as rows of <see cref="SiteOption"/>.</summary>
    public static readonly IReadOnlyList<SettingDefinition> Options = [.. All.Where(s => !s.IsColumn)];

    private static readonly Dictionary<string, SettingDefinition> ByName = All.ToDictionary(s => s.Name, StringComparer.Ordinal);

    public static SettingDefinition? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>A column setting's value on <paramref name="site"/>, as text.</summary>
    public static string ColumnValue(Site site, string name) => name switch
    {
        Title => site.Title,
        Tagline => site.Tagline,
        TimeZone => site.TimeZone,
        Language => site.Language,
        McpPolicy => SiteMcpPolicies.Text(site.McpPolicy),
        PermalinkStructure => site.PermalinkStructure,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a column setting"),
    };

    /// <summary>Sets a column setting already checked by <see cref="SettingDefinition.Validate"/>.</summary>
    public static void SetColumn(Site site, string name, string value)
    {
        switch (name)
        {
            case Title: site.Title = value; break;
            case Tagline: site.Tagline = value; break;
            case TimeZone: site.TimeZone = value; break;
            case Language: site.Language = value; break;
            case PermalinkStructure: site.PermalinkStructure = value; break;
            case McpPolicy: site.McpPolicy = SiteMcpPolicies.Parse(value) ?? throw new ArgumentException($"unknown policy {value}", nameof(value)); break;
            default: throw new ArgumentOutOfRangeException(nameof(name), name, "not a column setting");
        }
    }

    /// <summary>
    /// A text setting as it is stored: surrounding spaces trimmed (a title or a format typed with a stray space).
    /// Booleans are stored as <c>1</c>/<c>0</c>, as WordPress stores them.
    /// </summary>
    public static string Normalize(SettingDefinition setting, string value) => setting.Type switch
    {
        SettingType.Text or SettingType.TimeZone or SettingType.Language => value.Trim(),
        _ => value,
    };
}
