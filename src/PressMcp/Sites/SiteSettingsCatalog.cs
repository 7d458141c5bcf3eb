namespace PressMcp.Sites;

internal enum SettingType
{
    Text,
    Integer,
    Boolean,
    Choice,
}

/// <summary>One WordPress option PressMcp knows: its settings section, type, default and allowed values.</summary>
internal sealed record SettingDefinition(string Section, string Name, SettingType Type, string Default, IReadOnlyList<string>? Choices = null)
{
    /// <summary>Returns null when <paramref name="value"/> is acceptable, otherwise what is wrong.</summary>
    public string? Validate(string value) => Type switch
    {
        SettingType.Integer when !long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _)
            => $"{Name} must be a whole number",
        SettingType.Boolean when value is not ("0" or "1") => $"{Name} must be 0 or 1",
        SettingType.Choice when Choices is not null && !Choices.Contains(value) => $"{Name} must be one of {string.Join(", ", Choices)}",
        SettingType.Text when value.Length > 2000 => $"{Name} is longer than 2000 characters",
        _ => null,
    };
}

/// <summary>
/// WordPress's settings screens (General, Reading, Discussion, Media) as data. Title, tagline, time zone and
/// language are columns of <see cref="Site"/>; the rest are rows of <see cref="SiteOption"/> with these defaults.
/// </summary>
internal static class SiteSettingsCatalog
{
    public const string General = "general";
    public const string Reading = "reading";
    public const string Discussion = "discussion";
    public const string MediaSection = "media";

    public static readonly IReadOnlyList<string> Sections = [General, Reading, Discussion, MediaSection];

    public static readonly IReadOnlyList<SettingDefinition> Options =
    [
        new(General, "date_format", SettingType.Text, "F j, Y"),
        new(General, "time_format", SettingType.Text, "g:i a"),
        new(General, "start_of_week", SettingType.Integer, "1"),
        new(General, "admin_email", SettingType.Text, ""),
        new(Reading, "posts_per_page", SettingType.Integer, "10"),
        new(Reading, "posts_per_rss", SettingType.Integer, "10"),
        new(Reading, "show_on_front", SettingType.Choice, "posts", ["posts", "page"]),
        new(Reading, "page_on_front", SettingType.Integer, "0"),
        new(Reading, "page_for_posts", SettingType.Integer, "0"),
        new(Reading, "blog_public", SettingType.Boolean, "1"),
        new(Discussion, "default_comment_status", SettingType.Choice, "open", ["open", "closed"]),
        new(Discussion, "default_ping_status", SettingType.Choice, "open", ["open", "closed"]),
        new(Discussion, "comment_moderation", SettingType.Boolean, "0"),
        new(Discussion, "comment_registration", SettingType.Boolean, "0"),
        new(Discussion, "require_name_email", SettingType.Boolean, "1"),
        new(Discussion, "close_comments_for_old_posts", SettingType.Boolean, "0"),
        new(Discussion, "close_comments_days_old", SettingType.Integer, "14"),
        new(Discussion, "thread_comments", SettingType.Boolean, "1"),
        new(Discussion, "thread_comments_depth", SettingType.Integer, "5"),
        new(Discussion, "page_comments", SettingType.Boolean, "0"),
        new(Discussion, "comments_per_page", SettingType.Integer, "50"),
        new(Discussion, "comment_order", SettingType.Choice, "asc", ["asc", "desc"]),
        new(MediaSection, "thumbnail_size_w", SettingType.Integer, "150"),
        new(MediaSection, "thumbnail_size_h", SettingType.Integer, "150"),
        new(MediaSection, "thumbnail_crop", SettingType.Boolean, "1"),
        new(MediaSection, "medium_size_w", SettingType.Integer, "300"),
        new(MediaSection, "medium_size_h", SettingType.Integer, "300"),
        new(MediaSection, "large_size_w", SettingType.Integer, "1024"),
        new(MediaSection, "large_size_h", SettingType.Integer, "1024"),
        new(MediaSection, "uploads_use_yearmonth_folders", SettingType.Boolean, "1"),
    ];

    public static SettingDefinition? Find(string name) => Options.FirstOrDefault(o => o.Name == name);
}
