namespace PressMcp.Accounts;

/// <summary>What a profile's fields may hold (pages, commands and abilities check the same rules).</summary>
internal static class UserProfileRules
{
    public const int MaxDisplayNameLength = 250;
    public const int MaxWebsiteLength = 200;
    public const int MaxBioLength = 5000;

    /// <summary>A display name: trimmed, 1 to 250 characters, no control characters; the problem, or null.</summary>
    public static string? CheckDisplayName(string? value) =>
        string.IsNullOrWhiteSpace(value) ? "display name: enter the name to show on posts and comments"
        : value.Trim().Length > MaxDisplayNameLength ? $"display name: at most {MaxDisplayNameLength} characters"
        : value.Any(char.IsControl) ? "display name: no control characters"
        : null;

    /// <summary>A website: empty, or an absolute http or https address of at most 200 characters; the problem, or null.</summary>
    public static string? CheckWebsite(string? value)
    {
        var v = value?.Trim() ?? "";
        if (v.Length == 0) return null;
        if (v.Length > MaxWebsiteLength) return $"website: at most {MaxWebsiteLength} characters";
        return Uri.TryCreate(v, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0
            ? null : "website: an address starting with https:// or http://";
    }

    /// <summary>A biography: plain text of at most 5,000 characters (line breaks kept); the problem, or null.</summary>
    public static string? CheckBio(string? value) =>
        (value?.Length ?? 0) > MaxBioLength ? $"biographical info: at most {MaxBioLength:N0} characters" : null;
}
