namespace PressMcp.Media;

/// <summary>The facts about one media item that rules and suggestions look at.</summary>
internal sealed record MediaFacts(
    long Id, string FileName, string? Mime, long SizeBytes, int? Width, int? Height, DateTime UploadedUtc, long? UploaderId, long? FolderId,
    string Title = "", string AltText = "", string Caption = "");

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
        && (rule.UploaderId is null || item.UploaderId == rule.UploaderId);

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
