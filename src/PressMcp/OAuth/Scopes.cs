namespace PressMcp.OAuth;

/// <summary>One permission a client may ask for, with the sentence the consent page shows.</summary>
internal sealed record ScopeInfo(string Name, string Description);

/// <summary>
/// The scopes PressMcp grants. <c>auth</c> is WordPress.com's scope ("whatever my MCP settings allow"): it
/// stands for every other scope. <c>offline_access</c> is accepted from OpenID-minded clients and ignored,
/// because refresh tokens are always issued.
/// </summary>
internal static class Scopes
{
    public const string Auth = "auth";
    public const string OfflineAccess = "offline_access";
    public const string ContentRead = "content:read";
    public const string ContentWrite = "content:write";
    public const string SettingsWrite = "settings:write";
    // Separate from settings:write: who may administer a site is more than a setting, and a person approving
    // "Change site settings" should not thereby let an app make someone an administrator.
    public const string UsersWrite = "users:write";

    public static readonly IReadOnlyList<ScopeInfo> Specific =
    [
        new(ContentRead, "Read your posts and pages, including drafts you can see"),
        new(ContentWrite, "Create, edit and delete posts and pages"),
        new("comments:read", "Read comments, including those awaiting moderation"),
        new("comments:write", "Write, moderate and delete comments"),
        new("media:read", "See your media library"),
        new("media:write", "Upload, edit and delete media"),
        new("settings:read", "Read site settings"),
        new(SettingsWrite, "Change site settings"),
        new("stats:read", "See view statistics"),
        new("users:read", "See the site's users and their roles"),
        new(UsersWrite, "Add and remove the site's users and change their roles"),
    ];

    public static readonly ScopeInfo AuthInfo = new(Auth, "Everything below, as far as your role on each site allows");

    /// <summary>Every scope a client may name, in the order they are advertised.</summary>
    public static IReadOnlyList<string> Supported { get; } = [Auth, .. Specific.Select(s => s.Name)];

    private static readonly HashSet<string> Known = [.. Supported];

    public static bool IsKnown(string scope) => Known.Contains(scope);

    /// <summary>Splits a space-delimited scope parameter (RFC 6749 §3.3) into distinct values, in order.</summary>
    public static IReadOnlyList<string> Parse(string? scope) =>
        (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The first scope that is neither known nor <c>offline_access</c>, or null when all are.</summary>
    public static string? FirstUnknown(IEnumerable<string> scopes) =>
        scopes.FirstOrDefault(s => s != OfflineAccess && !IsKnown(s));

    /// <summary>The scopes as stored on a grant or token: known ones only, without <c>offline_access</c>, space-joined.</summary>
    public static string Normalize(IEnumerable<string> scopes) =>
        string.Join(' ', scopes.Where(IsKnown).Distinct(StringComparer.Ordinal));

    /// <summary>The specific scopes a set stands for: <c>auth</c> becomes every scope.</summary>
    public static IReadOnlySet<string> Expand(IEnumerable<string> scopes)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var s in scopes)
        {
            if (s == Auth) result.UnionWith(Specific.Select(x => x.Name));
            else if (IsKnown(s)) result.Add(s);
        }
        return result;
    }

    public static IReadOnlySet<string> Expand(string? scope) => Expand(Parse(scope));

    /// <summary>True when everything <paramref name="requested"/> stands for is within what <paramref name="granted"/> stands for.</summary>
    public static bool IsWithin(string? requested, string? granted) => Expand(requested).IsSubsetOf(Expand(granted));

    /// <summary>The consent page's lines for a scope parameter.</summary>
    public static IReadOnlyList<ScopeInfo> Describe(string? scope)
    {
        var parsed = Parse(scope);
        if (parsed.Contains(Auth)) return [AuthInfo, .. Specific];
        var expanded = Expand(parsed);
        return Specific.Where(s => expanded.Contains(s.Name)).ToList();
    }
}
