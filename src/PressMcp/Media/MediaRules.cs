namespace PressMcp.Media;

/// <summary>The facts about one media item that rules and suggestions look at.</summary>
internal sealed record MediaFacts(
    long Id, string FileName, string? Mime, long SizeBytes, int? Width, int? Height, DateTime UploadedUtc, long? UploaderId, long? FolderId,
    string Title = "", string AltText = "", string Caption = "");

/// <summary>
/// One of the plugin's rule conditions: a field of the item (<c>filename</c>, <c>mimetype</c>, <c>title</c>,
/// <c>alt</c>) compared with a text (<c>contains</c>, <c>equals</c>, <c>starts_with</c>, <c>ends_with</c>), without
/// regard to case, as file names and MIME types are compared everywhere else in the rules.
/// </summary>
internal sealed record TextCondition(string Type, string Operator, string Value)
{
    public const int MaxCount = 20;
    public const int MaxValueLength = 255;
    /// <summary>Room for <see cref="MaxCount"/> conditions of the longest value, with JSON escaping to spare.</summary>
    public const int MaxJsonLength = 16_000;

    public static readonly IReadOnlyList<string> Types = ["filename", "mimetype", "title", "alt"];
    public static readonly IReadOnlyList<string> Operators = ["contains", "equals", "starts_with", "ends_with"];

    public bool Holds(MediaFacts item)
    {
        var field = Type switch
        {
            "filename" => item.FileName,
            "mimetype" => item.Mime ?? "",
            "title" => item.Title,
            "alt" => item.AltText,
            _ => null,
        };
        if (field is null) return false;
        return Operator switch
        {
            "contains" => field.Contains(Value, StringComparison.OrdinalIgnoreCase),
            "equals" => field.Equals(Value, StringComparison.OrdinalIgnoreCase),
            "starts_with" => field.StartsWith(Value, StringComparison.OrdinalIgnoreCase),
            "ends_with" => field.EndsWith(Value, StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }

    public static string ToJson(IReadOnlyList<TextCondition> conditions) =>
        System.Text.Json.JsonSerializer.Serialize(conditions, MediaRuleJson.Default.IReadOnlyListTextCondition);

    public static IReadOnlyList<TextCondition> Parse(string? json) =>
        string.IsNullOrEmpty(json) ? [] : System.Text.Json.JsonSerializer.Deserialize(json, MediaRuleJson.Default.IReadOnlyListTextCondition) ?? [];
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(IReadOnlyList<TextCondition>))]
internal sealed partial class MediaRuleJson : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>
/// Whether a rule's conditions hold for an item: every condition that is set must hold (an unset one always does).
/// MIME types match exactly or by family (<c>image/*</c>); file names by a glob (<c>*</c> any run, <c>?</c> one
/// character) without regard to case; dates, sizes and dimensions by inclusive ranges; an item without dimensions
/// never meets a dimension condition.
/// </summary>
internal static class RuleMatcher
{
    public static bool Matches(MediaRule rule, MediaFacts item) =>
        (rule.MimeType is null || MimeMatches(rule.MimeType, item.Mime))
        && (rule.FileNamePattern is null || Glob(rule.FileNamePattern, item.FileName))
        && (rule.UploadedAfterUtc is null || item.UploadedUtc >= rule.UploadedAfterUtc)
        && (rule.UploadedBeforeUtc is null || item.UploadedUtc <= rule.UploadedBeforeUtc)
        && (rule.MinSizeBytes is null || item.SizeBytes >= rule.MinSizeBytes)
        && (rule.MaxSizeBytes is null || item.SizeBytes <= rule.MaxSizeBytes)
        && (rule.MinWidth is null || item.Width >= rule.MinWidth)
        && (rule.MaxWidth is null || item.Width <= rule.MaxWidth)
        && (rule.MinHeight is null || item.Height >= rule.MinHeight)
        && (rule.MaxHeight is null || item.Height <= rule.MaxHeight)
        && (rule.UploaderId is null || item.UploaderId == rule.UploaderId)
        && rule.ParsedTextConditions.All(c => c.Holds(item));

    /// <summary>The first enabled rule that matches, highest priority first (then the oldest rule).</summary>
    public static MediaRule? First(IEnumerable<MediaRule> rules, MediaFacts item) =>
        Ordered(rules).FirstOrDefault(r => r.Enabled && Matches(r, item));

    public static IEnumerable<MediaRule> Ordered(IEnumerable<MediaRule> rules) => rules.OrderByDescending(r => r.Priority).ThenBy(r => r.Id);

    public static bool MimeMatches(string pattern, string? mime)
    {
        if (mime is null) return false;
        if (pattern.EndsWith("/*", StringComparison.Ordinal))
            return mime.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase);
        return string.Equals(pattern, mime, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Glob matching by backtracking over the last <c>*</c> only: linear in practice, no regular expression to blow up.</summary>
    public static bool Glob(string pattern, string text) => Glob(pattern, text, out _);

    /// <param name="steps">How many steps the match took: the measure of its work, which tests bound (no clock involved).</param>
    internal static bool Glob(string pattern, string text, out long steps)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        steps = 0;
        while (t < text.Length)
        {
            steps++;
            if (p < pattern.Length && (pattern[p] == '?' || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(text[t])))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
