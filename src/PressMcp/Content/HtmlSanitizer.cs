using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using AngleSharp.Text;

namespace PressMcp.Content;

/// <summary>
/// An allow-list HTML sanitizer. The input is parsed as a browser would (AngleSharp's HTML5 parser, so broken and
/// nested markup is resolved exactly once, here) and written out again from the tree: only listed elements and
/// attributes survive, every text is escaped, URLs must use a listed scheme. What is not listed is dropped with its
/// content (scripts, styles, frames, plugins, forms, SVG and MathML, document-level elements) or, for harmless
/// unknown elements such as <c>&lt;font&gt;</c>, replaced by its content.
/// </summary>
internal static class HtmlSanitizer
{
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "div", "span", "strong", "b", "em", "i", "u", "s",
        "del", "ins", "sub", "sup", "small", "mark", "abbr", "cite", "q", "dfn", "time", "code", "pre", "kbd", "samp",
        "var", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "a", "img", "figure", "figcaption", "table",
        "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col", "details", "summary", "wbr",
    };

    // Dropped with everything inside: active content, styling that could restyle the page, document-level elements.
    private static readonly HashSet<string> DroppedWithContent = new(StringComparer.Ordinal)
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "param", "form", "input",
        "button", "select", "option", "optgroup", "textarea", "template", "noscript", "noembed", "noframes", "svg",
        "math", "base", "meta", "link", "title", "head", "audio", "video", "source", "track", "canvas", "xmp",
        "plaintext", "dialog", "portal", "map", "area", "slot",
    };

    private static readonly HashSet<string> Void = new(StringComparer.Ordinal) { "br", "hr", "img", "col", "wbr" };

    // Attributes every allowed element may keep; the rest are per element. No event handlers, no style, no id.
    private static readonly HashSet<string> Global = new(StringComparer.Ordinal) { "title", "lang", "dir", "class" };

    private static readonly Dictionary<string, string[]> PerElement = new(StringComparer.Ordinal)
    {
        ["a"] = ["href"],
        ["img"] = ["src", "alt", "width", "height"],
        ["blockquote"] = ["cite"],
        ["q"] = ["cite"],
        ["del"] = ["cite", "datetime"],
        ["ins"] = ["cite", "datetime"],
        ["time"] = ["datetime"],
        ["ol"] = ["start", "reversed", "type"],
        ["li"] = ["value"],
        ["td"] = ["colspan", "rowspan", "headers"],
        ["th"] = ["colspan", "rowspan", "headers", "scope", "abbr"],
        ["col"] = ["span"],
        ["colgroup"] = ["span"],
        ["details"] = ["open"],
    };

    private static readonly HashSet<string> NumberAttributes = new(StringComparer.Ordinal) { "width", "height", "start", "value", "colspan", "rowspan", "span" };

    // Links may point to the web, mail and phones; images only to the web. No javascript:, vbscript:, data: or file:.
    private static readonly string[] LinkSchemes = ["http", "https", "mailto", "tel"];
    private static readonly string[] ImageSchemes = ["http", "https"];

    /// <param name="siteBaseUrl">The site's base URL: links elsewhere are external and get <c>rel="nofollow noopener"</c>.</param>
    /// <param name="ct">Checked while parsing and writing, so a large post stops when its request is gone.</param>
    public static string Sanitize(string html, string? siteBaseUrl, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(html)) return "";
        using var document = Parse(html, ct);
        return Write(document, html.Length, siteBaseUrl, ct);
    }

    /// <summary>The first step of <see cref="Sanitize"/>, apart so it can be timed alone: the tree, built under the guard.</summary>
    internal static Document Parse(string html, CancellationToken ct)
    {
        // The guard keeps tree construction linear (nesting depth, open formatting elements, copies); see its summary.
        var guard = new TreeBuildingGuard(html.Length, ct);
        var parser = new HtmlParser(new HtmlParserOptions { IsScripting = false, OnCreated = guard.OnCreated });
        // A document, not a fragment: only the document parse takes a tokenizer middleware. Its body holds what a
        // fragment in a body would; what goes to the head instead (title, meta, style, script) is dropped anyway.
        return parser.ParseDocument<Document, Element>(new TextSource(html), guard.Consume);
    }

    /// <summary>The second step of <see cref="Sanitize"/>: the allowed part of the body as HTML.</summary>
    internal static string Write(Document document, int inputLength, string? siteBaseUrl, CancellationToken ct)
    {
        var sb = new StringBuilder(inputLength);
        if (document.Body is { } body) Write(body.ChildNodes, sb, siteBaseUrl, ct);
        return sb.ToString();
    }

    /// <summary>Writes the allowed part of the tree. Iterative, so a deeply nested input cannot exhaust the stack.</summary>
    private static void Write(INodeList roots, StringBuilder sb, string? siteBaseUrl, CancellationToken ct)
    {
        var stack = new Stack<(INode Node, int TagStart)>();
        PushChildren(stack, roots);
        var written = 0;
        while (stack.Count > 0)
        {
            if ((++written & 4095) == 0) ct.ThrowIfCancellationRequested();
            var (node, tagStart) = stack.Pop();
            if (tagStart >= 0)
            {
                var name = ((IElement)node).LocalName;
                // Automatic paragraphs leave an empty <p></p> beside some blocks, as WordPress's do: it says nothing.
                if (name == "p" && sb.Length == tagStart + 3) sb.Length = tagStart;
                else sb.Append("</").Append(name).Append('>');
                continue;
            }
            switch (node)
            {
                case IText text:
                    Escape(sb, text.Data, attribute: false);
                    break;
                case IElement element when element.NamespaceUri != NamespaceNames.HtmlUri || DroppedWithContent.Contains(element.LocalName):
                    break;
                case IElement element when Allowed.Contains(element.LocalName):
                    var start = sb.Length;
                    if (!WriteStartTag(element, sb, siteBaseUrl)) break;
                    if (Void.Contains(element.LocalName)) break;
                    // The parser drops a newline right after <pre>; keep one that belongs to the text.
                    if (element.LocalName == "pre" && element.FirstChild is IText { Data: ['\n', ..] }) sb.Append('\n');
                    stack.Push((element, start));
                    PushChildren(stack, element.ChildNodes);
                    break;
                case IElement element:
                    PushChildren(stack, element.ChildNodes);
                    break;
            }
        }
    }

    /// <summary>Children are pushed with no tag start (-1): they are opened, not closed, when popped.</summary>
    private static void PushChildren(Stack<(INode, int)> stack, INodeList children)
    {
        for (var i = children.Length - 1; i >= 0; i--) stack.Push((children[i], -1));
    }

    /// <summary>Writes the start tag with its allowed attributes; false when the element is useless without what was refused (an image without a safe source).</summary>
    private static bool WriteStartTag(IElement element, StringBuilder sb, string? siteBaseUrl)
    {
        var name = element.LocalName;
        var external = false;
        var attributes = new List<(string Name, string Value)>();
        PerElement.TryGetValue(name, out var own);
        foreach (var attribute in element.Attributes)
        {
            var attr = attribute.LocalName;
            if (attribute.NamespaceUri is { Length: > 0 }) continue;
            if (!Global.Contains(attr) && (own is null || !own.Contains(attr))) continue;
            var value = attribute.Value;
            if (attr is "href" or "src" or "cite")
            {
                var url = SafeUrl(value, attr == "src" ? ImageSchemes : LinkSchemes);
                if (url is null) continue;
                value = url;
                if (attr == "href") external = IsExternal(url, siteBaseUrl);
            }
            else if (NumberAttributes.Contains(attr) && !IsNumber(value)) continue;
            else if (attr == "class" && !IsClassList(value)) continue;
            attributes.Add((attr, value));
        }
        if (name == "img" && !attributes.Exists(a => a.Name == "src")) return false;
        if (external) attributes.Add(("rel", "nofollow noopener"));

        sb.Append('<').Append(name);
        foreach (var (attr, value) in attributes)
        {
            sb.Append(' ').Append(attr).Append("=\"");
            Escape(sb, value, attribute: true);
            sb.Append('"');
        }
        sb.Append('>');
        return true;
    }

    /// <summary>
    /// The URL when its scheme is allowed (or it has none: relative), otherwise null. The parser has already decoded
    /// character references, so <c>&amp;#106;avascript:</c> arrives as <c>javascript:</c>; browsers ignore tabs,
    /// newlines and control characters inside a scheme, so those are removed before the scheme is read.
    /// </summary>
    internal static string? SafeUrl(string value, IReadOnlyList<string> schemes)
    {
        var url = value.Trim();
        var compact = new StringBuilder(url.Length);
        foreach (var ch in url)
            if (ch > ' ' && ch != '\u007f') compact.Append(ch);
        var text = compact.ToString();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var delimiter = text.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (delimiter >= 0 && delimiter < colon)) return url; // relative: no scheme at all
        var scheme = text[..colon].ToLowerInvariant();
        return schemes.Contains(scheme) ? url : null;
    }

    private static bool IsExternal(string url, string? siteBaseUrl)
    {
        var absolute = url.StartsWith("//", StringComparison.Ordinal)
            || url.StartsWith("http:", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
        if (!absolute) return false;
        if (siteBaseUrl is null) return true;
        return !(url.Equals(siteBaseUrl, StringComparison.OrdinalIgnoreCase)
            || url.StartsWith(siteBaseUrl + "/", StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsNumber(string value) => value.Length is > 0 and <= 6 && value.All(char.IsAsciiDigit);

    private static bool IsClassList(string value) =>
        value.Length <= 200 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ' ');

    private static void Escape(StringBuilder sb, string text, bool attribute)
    {
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"' when attribute: sb.Append("&quot;"); break;
                case '\0' or TreeBuildingGuard.WhiteSpaceMark: break;
                default: sb.Append(ch); break;
            }
        }
    }
}
