using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PressMcp.Media.Cleanup;

/// <summary>
/// What post content refers to, for the "unused" rule. Read from the stored (raw) content of every post, page and other
/// non-attachment post of the site, whatever its status (a draft or a trashed post that shows an image still uses it):
/// <list type="bullet">
/// <item>ids: the <c>wp-image-{id}</c> class WordPress puts on inserted images; <c>attachment_id={id}</c> links;
/// <c>[gallery ids="…"]</c> and <c>include="…"</c> shortcodes; and the block editor's comment attributes
/// <c>"id"</c>, <c>"mediaId"</c> and <c>"ids"</c> (<c>&lt;!-- wp:image {"id":12} --&gt;</c>, galleries, covers,
/// media-text, files, audio, video);</item>
/// <item>files: every <c>yyyy/mm/name.ext</c> path in the content, on any host (so both this server's
/// <c>/wp-content/uploads/</c> addresses and an imported site's original file addresses count), compared without
/// case and without WordPress's size suffix (<c>photo-300x200.jpg</c> and <c>photo-scaled.jpg</c> are <c>photo.jpg</c>).</item>
/// </list>
/// Matching a file by its path alone may take another site's file of the same month and name for this one: that
/// errs on the side of calling an item used, never of calling a used item unused.
/// </summary>
internal sealed partial class MediaReferences
{
    public HashSet<long> Ids { get; } = [];
    public HashSet<string> Files { get; } = new(StringComparer.Ordinal);

    [GeneratedRegex(@"wp-image-(\d{1,18})\b", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ImageClass();

    [GeneratedRegex(@"attachment_id=(\d{1,18})\b", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex AttachmentLink();

    [GeneratedRegex(@"\[gallery\b[^\]]{0,2000}?\b(?:ids|include)\s*=\s*[""']?([\d,\s]{1,2000})", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, 1000)]
    private static partial Regex Gallery();

    [GeneratedRegex(@"<!--\s*wp:[a-z0-9/-]+\s+(\{.{0,10000}?\})\s*/?-->", RegexOptions.CultureInvariant | RegexOptions.Singleline, 1000)]
    private static partial Regex BlockAttributes();

    [GeneratedRegex(@"(\d{4}/\d{2}/[A-Za-z0-9._%+~-]{1,255}\.[A-Za-z0-9]{2,5})\b", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex FilePath();

    [GeneratedRegex(@"(?:-\d{1,5}x\d{1,5}|-scaled)(?=\.[a-z0-9]{2,5}$)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SizeSuffix();

    public void Add(string content)
    {
        if (string.IsNullOrEmpty(content)) return;
        foreach (Match m in ImageClass().Matches(content)) AddId(m.Groups[1].Value);
        foreach (Match m in AttachmentLink().Matches(content)) AddId(m.Groups[1].Value);
        foreach (Match m in Gallery().Matches(content))
            foreach (var part in m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)) AddId(part);
        foreach (Match m in BlockAttributes().Matches(content)) AddBlock(m.Groups[1].Value);
        foreach (Match m in FilePath().Matches(content)) Files.Add(FileKey(m.Groups[1].Value));
    }

    /// <summary>The key a file is compared by: <c>yyyy/mm/name.ext</c>, lowercase, without a size suffix.</summary>
    public static string FileKey(string path) => SizeSuffix().Replace(Uri.UnescapeDataString(path).ToLowerInvariant(), "");

    /// <summary>The key of a media item's own file: its storage path, or the <c>yyyy/mm/name</c> end of the address it was imported from.</summary>
    public static string? KeyOf(string? storagePath, string? sourceUrl)
    {
        if (storagePath is not null) return FileKey(storagePath);
        if (sourceUrl is null) return null;
        var m = FilePath().Match(sourceUrl);
        return m.Success ? FileKey(m.Groups[1].Value) : null;
    }

    private void AddId(string digits)
    {
        if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0) Ids.Add(id);
    }

    private void AddBlock(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return;
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Name is "id" or "mediaId" && p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out var id) && id > 0) Ids.Add(id);
                if (p.Name == "ids" && p.Value.ValueKind == JsonValueKind.Array)
                    foreach (var e in p.Value.EnumerateArray())
                        if (e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var i) && i > 0) Ids.Add(i);
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: nothing to learn from it.
        }
    }
}
