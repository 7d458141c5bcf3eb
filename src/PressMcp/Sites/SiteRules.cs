using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PressMcp.Sites;

/// <summary>Validation of site identifiers; every entry point (command line, pages, tools) uses these.</summary>
internal static partial class SiteRules
{
    /// <summary>A site's title, trimmed: not empty and at most <see cref="SiteSettingsCatalog.MaxTitleLength"/> characters; the problem otherwise.</summary>
    public static Outcome<string> Title(string? title)
    {
        var trimmed = title?.Trim() ?? "";
        if (trimmed.Length == 0) return Problem.Invalid("the title is empty");
        if (trimmed.Length > SiteSettingsCatalog.MaxTitleLength) return Problem.Invalid($"the title is longer than {SiteSettingsCatalog.MaxTitleLength} characters");
        return Outcome<string>.Ok(trimmed);
    }

    public const int MaxSlugLength = 63;

    // Paths under a site's base URL that belong to the server, never to a site slug.
    private static readonly HashSet<string> ReservedSlugs = new(StringComparer.Ordinal)
    {
        "wp-json", "wp-admin", "admin", "wp-content", "wp-includes", "wp-login", "sites", "oauth2-1",
        "wpcom", "well-known", "login", "logout", "setup", "account", "assets", "api", "feed",
    };

    [GeneratedRegex("^[a-z0-9-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugCharacters();

    // A DNS host name: labels of letters, digits and inner hyphens, at least one dot.
    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex HostNamePattern();

    /// <summary>Returns null when <paramref name="slug"/> is a valid site slug, otherwise what is wrong with it.</summary>
    public static string? ValidateSlug(string? slug)
    {
        if (string.IsNullOrEmpty(slug)) return "the slug is empty";
        if (slug.Length > MaxSlugLength) return $"the slug is longer than {MaxSlugLength} characters";
        if (!SlugCharacters().IsMatch(slug)) return $"the slug '{slug}' may contain only lower-case letters a-z, digits and hyphens";
        if (!slug.Any(char.IsAsciiLetterLower)) return $"the slug '{slug}' must contain at least one letter (all-digit values are site ids)";
        if (slug.StartsWith('-') || slug.EndsWith('-')) return $"the slug '{slug}' must not start or end with a hyphen";
        if (ReservedSlugs.Contains(slug)) return $"the slug '{slug}' is reserved";
        return null;
    }

    /// <summary>
    /// <paramref name="value"/> as a slug could be stored (ASCII letters lower-cased), or null when it cannot be one.
    /// Only ASCII is folded: <see cref="string.ToLowerInvariant()"/> maps look-alikes such as the Kelvin sign to
    /// ASCII letters, which would let a different string reach a site.
    /// </summary>
    public static string? NormalizeSlug(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxSlugLength || !Ascii.IsValid(value)) return null;
        var lower = value.ToLowerInvariant();
        return SlugCharacters().IsMatch(lower) ? lower : null;
    }

    /// <summary>Normalises a host name (lower case, no trailing dot) or returns null with a reason.</summary>
    public static string? NormalizeHostName(string? host, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(host)) return null;
        var h = host.Trim().TrimEnd('.');
        // ASCII only (an internationalized name in its xn-- form): lower-casing anything else could fold a look-alike into ASCII.
        if (!Ascii.IsValid(h) || (h = h.ToLowerInvariant()).Contains(':') || !HostNamePattern().IsMatch(h))
        {
            error = $"'{host}' is not a valid host name (expected something like blog.example.com, without scheme or port)";
            return null;
        }
        return h;
    }

    public static bool IsAllDigits(string value) => value.Length > 0 && value.All(char.IsAsciiDigit);

    public static string? ValidateTimeZone(string tz)
    {
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(tz);
            return null;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return string.Create(CultureInfo.InvariantCulture, $"unknown time zone '{tz}' (use an IANA name such as Europe/Madrid or UTC)");
        }
    }

    /// <summary>The time zones this machine knows, by IANA name, UTC first: what a form offers to choose from.</summary>
    public static IReadOnlyList<string> TimeZoneNames() =>
        ["UTC", .. TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Where(id => id != "UTC" && id.Contains('/', StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
}
