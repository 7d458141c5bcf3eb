using System.Globalization;
using System.Text;

namespace PressMcp.Media;

/// <summary>A folder that fits an item, how well, and why.</summary>
internal sealed record FolderSuggestion(long FolderId, string Path, int Score, IReadOnlyList<string> Reasons, bool IsCurrent);

/// <summary>
/// Scores every folder for one media item from what is known about it, without any outside service. Words are taken
/// from the item's file name, title, alt text and caption (split at punctuation and camelCase, lowercased, simple
/// plurals folded) and from each folder's name and the names above it. Points:
/// an enabled rule that matches the item and targets the folder: 50;
/// a word of the folder's own name found in the file name or title: 10, in the alt text or caption: 6;
/// the folder's name naming the item's kind (photos, images, videos, audio, music, documents, pdf, …): 8;
/// the folder's name holding the upload year: 6, the upload month's name: 3;
/// half of the word, kind and date points when the match is in a parent folder's name instead.
/// Folders that score nothing are left out; the best come first.
/// </summary>
internal static class FolderSuggestions
{
    public const string Explanation =
        "Scores: +50 an enabled rule matching the item targets the folder; +10 per folder-name word found in the file name or title, " +
        "+6 in the alt text or caption; +8 the folder name names the item's kind (e.g. photos, videos, documents); +6 the upload year, " +
        "+3 the upload month's name; half points when the match is in a parent folder's name. Folders scoring 0 are omitted.";

    private static readonly HashSet<string> StopWords = ["the", "and", "of", "for", "with", "in", "on", "at", "to", "a", "an", "my", "new", "final", "copy", "img", "dsc", "dscn", "scan", "file", "untitled"];

    private static readonly Dictionary<MediaKind, HashSet<string>> KindWords = new()
    {
        [MediaKind.Image] = ["image", "photo", "picture", "pic", "graphic", "illustration", "screenshot", "img", "photography", "gallery"],
        [MediaKind.Audio] = ["audio", "music", "sound", "podcast", "song", "recording", "voice"],
        [MediaKind.Video] = ["video", "movie", "film", "clip", "footage"],
        [MediaKind.Document] = ["document", "doc", "file", "paper", "report", "pdf", "spreadsheet", "sheet", "presentation", "slide", "download"],
    };

    public static IReadOnlyList<FolderSuggestion> Suggest(MediaFacts item, IReadOnlyList<FolderInfo> folders, IReadOnlyList<MediaRule> rules, int limit)
    {
        var nameWords = Words(Path.GetFileNameWithoutExtension(item.FileName)).Concat(Words(item.Title)).ToHashSet();
        var textWords = Words(item.AltText).Concat(Words(item.Caption)).ToHashSet();
        var kind = KindOf(item.Mime);
        var year = item.UploadedUtc.Year.ToString(CultureInfo.InvariantCulture);
        var month = CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(item.UploadedUtc.Month).ToLowerInvariant();
        var monthShort = month[..3];
        var matching = rules.Where(r => r.Enabled && RuleMatcher.Matches(r, item)).ToList();
        var byId = folders.ToDictionary(f => f.Id);

        var result = new List<FolderSuggestion>();
        foreach (var folder in folders)
        {
            double score = 0;
            var reasons = new List<string>();
            foreach (var rule in matching.Where(r => r.FolderId == folder.Id))
            {
                score += 50;
                reasons.Add($"rule '{rule.Name}' matches this item and places it here (+50)");
            }
            // The folder's own name counts fully, the names above it half.
            var levels = new List<(string Name, double Weight)> { (folder.Name, 1) };
            for (var p = folder.ParentId; p is { } pid && byId.TryGetValue(pid, out var parent) && levels.Count < MediaFolderService.MaxDepth; p = parent.ParentId)
                levels.Add((parent.Name, 0.5));
            foreach (var (name, weight) in levels)
            {
                var where = weight == 1 ? "the folder name" : $"the parent folder '{name}'";
                foreach (var word in Words(name))
                {
                    if (nameWords.Contains(word)) Add(10 * weight, $"'{word}' in the file name or title matches {where}");
                    else if (textWords.Contains(word)) Add(6 * weight, $"'{word}' in the alt text or caption matches {where}");
                    if (kind is { } k && KindWords[k].Contains(word)) Add(8 * weight, $"'{word}' in {where} fits {(k == MediaKind.Image || k == MediaKind.Audio ? "an" : "a")} {k.ToString().ToLowerInvariant()} file");
                    if (word == year) Add(6 * weight, $"uploaded in {year}, as {where} says");
                    if (word == month || word == monthShort) Add(3 * weight, $"uploaded in {month}, as {where} says");
                }
            }
            if (score > 0)
                result.Add(new FolderSuggestion(folder.Id, folder.Path, (int)Math.Round(score), reasons, folder.Id == item.FolderId));

            void Add(double points, string reason)
            {
                score += points;
                reasons.Add($"{reason} (+{points.ToString("0.#", CultureInfo.InvariantCulture)})");
            }
        }
        return result.OrderByDescending(s => s.Score).ThenBy(s => s.Path, StringComparer.OrdinalIgnoreCase).Take(limit).ToList();
    }

    public static MediaKind? KindOf(string? mime) => mime switch
    {
        null => null,
        _ when mime.StartsWith("image/", StringComparison.Ordinal) => MediaKind.Image,
        _ when mime.StartsWith("audio/", StringComparison.Ordinal) => MediaKind.Audio,
        _ when mime.StartsWith("video/", StringComparison.Ordinal) => MediaKind.Video,
        _ => MediaKind.Document,
    };

    /// <summary>Lowercase words of a text: split at anything but letters and digits and at camelCase humps; plurals folded; stop words dropped.</summary>
    public static IEnumerable<string> Words(string? text)
    {
        if (string.IsNullOrEmpty(text)) yield break;
        var word = new StringBuilder();
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            var hump = word.Length > 0 && char.IsUpper(c) && char.IsLower(text[i - 1]);
            if (!char.IsLetterOrDigit(c) || hump)
            {
                if (Fold(word.ToString()) is { } w) yield return w;
                word.Clear();
            }
            if (char.IsLetterOrDigit(c)) word.Append(char.ToLowerInvariant(c));
        }
    }

    private static string? Fold(string w)
    {
        if (w.Length < 2 || StopWords.Contains(w)) return null;
        // Years matter; counters (IMG_0042) do not.
        if (w.All(char.IsDigit)) return w.Length == 4 && (w.StartsWith("19", StringComparison.Ordinal) || w.StartsWith("20", StringComparison.Ordinal)) ? w : null;
        if (w.Length > 4 && w.EndsWith("ies", StringComparison.Ordinal)) return w[..^3] + "y";
        if (w.Length > 3 && w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal)) return w[..^1];
        return w;
    }
}
