using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PressMcp.Content;

/// <summary>
/// WordPress's wpautop for classic (non-block) content: text separated by blank lines becomes paragraphs,
/// a single newline inside a paragraph becomes a line break, block-level elements are left as they are and
/// <c>&lt;pre&gt;</c> keeps its newlines. The output is not trusted: <see cref="HtmlSanitizer"/> parses it next.
/// </summary>
internal static partial class Autop
{
    // WordPress's $allblocks: elements that start their own block, never wrapped in a paragraph.
    private const string Blocks =
        "(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote" +
        "|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure" +
        "|figcaption|details|menu|summary)";

    private const string PreToken = "pm-autop-pre";

    [GeneratedRegex($@"<pre {PreToken}-(\d+)></pre>", RegexOptions.CultureInvariant)]
    private static partial Regex PrePlaceholder();

    [GeneratedRegex(@"<br\s*/?>\s*<br\s*/?>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DoubleBreak();

    [GeneratedRegex($@"(<{Blocks}[\s/>])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BlockOpen();

    [GeneratedRegex($@"(</{Blocks}>|<hr\s*/?>)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BlockClose();

    [GeneratedRegex(@"\n\s*\n", RegexOptions.CultureInvariant)]
    private static partial Regex BlankLine();

    [GeneratedRegex(@"<p>\s*</p>", RegexOptions.CultureInvariant)]
    private static partial Regex EmptyParagraph();

    [GeneratedRegex($@"<p>\s*(</?{Blocks}[^<>]*>)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ParagraphBeforeBlock();

    [GeneratedRegex($@"(</?{Blocks}[^<>]*>)\s*</p>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ParagraphAfterBlock();

    [GeneratedRegex($@"(</?{Blocks}[^<>]*>)\s*<br>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BreakAfterBlock();

    [GeneratedRegex(@"<br>(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^<>]*>)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BreakBeforeBlock();

    public static string Apply(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n') + "\n";

        // Preformatted text keeps its newlines: set it aside and put it back at the end.
        var pres = new List<string>();
        text = SetAsidePre(text, pres);

        text = DoubleBreak().Replace(text, "\n\n");
        // Every block element stands apart from the text around it, so it is never wrapped in a paragraph.
        text = BlockOpen().Replace(text, "\n\n$1");
        text = BlockClose().Replace(text, "$1\n\n");

        var sb = new StringBuilder(text.Length + 64);
        foreach (var chunk in BlankLine().Split(text))
        {
            var trimmed = chunk.Trim('\n', ' ', '\t');
            if (trimmed.Length > 0) sb.Append("<p>").Append(trimmed).Append("</p>\n");
        }
        text = sb.ToString();
        text = EmptyParagraph().Replace(text, "");
        text = ParagraphBeforeBlock().Replace(text, "$1");
        text = ParagraphAfterBlock().Replace(text, "$1");

        text = LineBreaks(text);
        text = BreakAfterBlock().Replace(text, "$1");
        text = BreakBeforeBlock().Replace(text, "$1");
        text = text.TrimEnd();
        if (text.EndsWith("<br>", StringComparison.Ordinal)) text = text[..^4];

        return PrePlaceholder().Replace(text, m => pres[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)]);
    }

    /// <summary>
    /// Replaces each <c>&lt;pre&gt;</c> element (to its first <c>&lt;/pre&gt;</c>) by a placeholder. One scan forward:
    /// an unclosed <c>&lt;pre&gt;</c> ends it, since no later one can be closed either (a lazy regular expression
    /// searched to the end of the text again from every <c>&lt;pre</c>, quadratic in a post of unclosed ones).
    /// </summary>
    private static string SetAsidePre(string text, List<string> pres)
    {
        StringBuilder? sb = null;
        var copied = 0;
        for (var at = 0; ;)
        {
            var open = text.IndexOf("<pre", at, StringComparison.OrdinalIgnoreCase);
            if (open < 0 || open + 4 >= text.Length) break;
            if (text[open + 4] is not ('>' or ' ' or '\t' or '\n' or '\f'))
            {
                at = open + 4;
                continue;
            }
            var close = text.IndexOf("</pre>", open + 4, StringComparison.OrdinalIgnoreCase);
            if (close < 0) break;
            var end = close + "</pre>".Length;
            sb ??= new StringBuilder(text.Length);
            sb.Append(text, copied, open - copied).Append(CultureInfo.InvariantCulture, $"<pre {PreToken}-{pres.Count}></pre>");
            pres.Add(text[open..end]);
            copied = at = end;
        }
        return sb is null ? text : sb.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>A newline outside a tag becomes <c>&lt;br&gt;</c>; newlines inside a tag (between attributes) are kept.</summary>
    private static string LineBreaks(string text)
    {
        var sb = new StringBuilder(text.Length + 32);
        var inTag = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (ch == '<') inTag = true;
            else if (ch == '>') inTag = false;
            if (ch == '\n' && !inTag)
            {
                // Trailing spaces before the newline belong to nothing.
                while (sb.Length > 0 && sb[^1] is ' ' or '\t') sb.Length--;
                sb.Append("<br>\n");
                continue;
            }
            sb.Append(ch);
        }
        return sb.ToString();
    }
}
