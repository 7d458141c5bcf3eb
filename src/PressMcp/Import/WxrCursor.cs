using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace PressMcp.Import;

/// <summary>The XML namespaces a WordPress export uses, as far as the reader cares.</summary>
internal enum WxrNamespace
{
    None,
    Wp,
    Content,
    Excerpt,
    Dc,
    Other,
}

/// <summary>
/// A forward-only position in a WordPress export: the XmlReader, where it is, and how to read one field.
/// Field readers fail with <see cref="WxrFormatException"/> at the field's position.
/// </summary>
internal sealed partial class WxrCursor
{
    public const string ContentNamespace = "http://purl.org/rss/1.0/modules/content/";
    public const string DcNamespace = "http://purl.org/dc/elements/1.1/";
    private const string ZeroDate = "0000-00-00 00:00:00";

    private static readonly string[] DateFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"];

    private readonly IXmlLineInfo _lines;
    private readonly char[] _chunk = new char[16 * 1024];
    private string? _wp;
    private string? _excerpt;

    /// <param name="xml">The export.</param>
    /// <param name="maxTextLength">The longest text any one field may have (the site's content bound, <c>ContentLimits</c>):
    /// no field is ever held whole beyond it, so a huge post costs memory for the bound, not for its size.</param>
    public WxrCursor(XmlReader xml, int maxTextLength)
    {
        Xml = xml;
        _lines = (IXmlLineInfo)xml;
        MaxTextLength = maxTextLength;
    }

    public int MaxTextLength { get; }

    public XmlReader Xml { get; }

    public SourcePosition Here => new(_lines.LineNumber, _lines.LinePosition);

    /// <summary>
    /// The wp and excerpt namespaces as the root element declares them. WordPress writes http://, WordPress.com
    /// writes https://; both are the same format, so the scheme is ignored. Returns the version, or null.
    /// </summary>
    public string? DeclareNamespaces()
    {
        string? version = null;
        while (Xml.MoveToNextAttribute())
        {
            if (Xml.Prefix != "xmlns" && Xml.Name != "xmlns") continue;
            if (WpNamespacePattern().Match(Xml.Value) is { Success: true } wp)
            {
                _wp = Xml.Value;
                version = wp.Groups[1].Value;
            }
            else if (ExcerptNamespacePattern().IsMatch(Xml.Value))
            {
                _excerpt = Xml.Value;
            }
        }
        Xml.MoveToElement();
        return version;
    }

    public WxrNamespace Namespace => Xml.NamespaceURI switch
    {
        "" => WxrNamespace.None,
        ContentNamespace => WxrNamespace.Content,
        DcNamespace => WxrNamespace.Dc,
        var ns when ns == _wp => WxrNamespace.Wp,
        var ns when ns == _excerpt => WxrNamespace.Excerpt,
        _ => WxrNamespace.Other,
    };

    public bool IsWp(string localName) => Xml.LocalName == localName && Namespace == WxrNamespace.Wp;

    /// <summary>
    /// The child elements of the current element, one at a time. The caller reads each one (a field reader)
    /// or leaves it, in which case it is skipped. Ends after the current element's end tag.
    /// </summary>
    public IEnumerable<string> Children()
    {
        if (Xml.IsEmptyElement)
        {
            Xml.Read();
            yield break;
        }
        var depth = Xml.Depth;
        Xml.Read();
        while (!(Xml.NodeType == XmlNodeType.EndElement && Xml.Depth == depth))
        {
            if (Xml.NodeType != XmlNodeType.Element)
            {
                Xml.Read();
                continue;
            }
            var at = Here;
            yield return Xml.LocalName;
            // Not read by the caller: an element we do not import.
            if (Xml.NodeType == XmlNodeType.Element && Xml.Depth == depth + 1 && Here == at) Xml.Skip();
        }
        Xml.Read();
    }

    /// <summary>
    /// The element's text: text and CDATA sections joined, however many there are. Longer than <see cref="MaxTextLength"/>:
    /// refused (<see cref="WxrFormatException"/>); fields an item may be skipped for read <see cref="TextWithin"/> instead.
    /// </summary>
    public string Text()
    {
        var at = Here;
        var name = Xml.Name;
        return TextWithin(MaxTextLength) ?? throw Fail(at, $"<{name}> is longer than {MaxTextLength.ToString("N0", CultureInfo.InvariantCulture)} characters (Content:MaxContentLength)");
    }

    /// <summary>
    /// The element's text, or null when it is longer than <paramref name="maxLength"/>: then the rest is read in chunks and
    /// dropped, so the text is never held whole (ReadElementContentAsString would build all of it first). The reader ends
    /// after the element either way. Like ReadElementContentAsString, an element inside the text is an error.
    /// </summary>
    public string? TextWithin(int maxLength)
    {
        if (Xml.IsEmptyElement)
        {
            Xml.Read();
            return "";
        }
        var depth = Xml.Depth;
        var text = new StringBuilder();
        var tooLong = false;
        Xml.Read();
        while (!(Xml.NodeType == XmlNodeType.EndElement && Xml.Depth == depth))
        {
            switch (Xml.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    for (int n; (n = Xml.ReadValueChunk(_chunk, 0, _chunk.Length)) > 0;)
                    {
                        tooLong |= text.Length + n > maxLength;
                        if (!tooLong) text.Append(_chunk, 0, n);
                    }
                    Xml.Read();
                    break;
                case XmlNodeType.Element:
                    throw Fail(Here, $"<{Xml.Name}> inside a text field: the field must hold text only");
                default:
                    Xml.Read();
                    break;
            }
        }
        Xml.Read();
        return tooLong ? null : text.ToString();
    }

    public string Attribute(string name) => Xml.GetAttribute(name) ?? "";

    public long Long(string field, long min = long.MinValue)
    {
        var at = Here;
        var text = Text().Trim();
        if (text.Length == 0) return 0;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min)
            throw Fail(at, $"{field} '{Clip(text)}' is not {(min >= 0 ? "a whole number of 0 or more" : "a whole number")}");
        return value;
    }

    public int Int(string field)
    {
        var at = Here;
        var value = Long(field);
        if (value is < int.MinValue or > int.MaxValue) throw Fail(at, $"{field} {value} is out of range");
        return (int)value;
    }

    /// <summary>A WordPress date ("2024-05-01 13:45:00"); null when absent or WordPress's zero date.</summary>
    public DateTime? Date(string field)
    {
        var at = Here;
        var text = Text().Trim();
        if (text.Length == 0 || text == ZeroDate) return null;
        if (!DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            throw Fail(at, $"{field} '{Clip(text)}' is not a date (expected YYYY-MM-DD HH:MM:SS)");
        return value;
    }

    /// <summary>A text field with a length limit of the column it goes to.</summary>
    public string Bounded(string field, int maxLength)
    {
        var at = Here;
        var text = Text().Trim();
        return text.Length <= maxLength ? text : throw Fail(at, $"{field} is longer than {maxLength} characters");
    }

    public static WxrFormatException Fail(SourcePosition at, string problem) => new(at, problem);

    /// <summary>Quotes at most 40 characters of a bad value, so one line stays one line.</summary>
    public static string Clip(string value)
    {
        var flat = value.ReplaceLineEndings(" ");
        return flat.Length <= 40 ? flat : flat[..40] + "…";
    }

    [GeneratedRegex(@"^https?://wordpress\.org/export/(1\.[012])/$")]
    private static partial Regex WpNamespacePattern();

    [GeneratedRegex(@"^https?://wordpress\.org/export/1\.[012]/excerpt/$")]
    private static partial Regex ExcerptNamespacePattern();
}
