using System.Globalization;
using System.Text;
using System.Xml;

namespace PressMcp.Import;

/// <summary>
/// Writes WXR 1.2 the way WordPress's own export does: the same namespaces, element names and order, text in
/// CDATA sections. Asynchronous, so it can write to any stream (a file, later an HTTP response).
/// </summary>
internal sealed class WxrWriter : IAsyncDisposable
{
    public const string WpNamespace = "http://wordpress.org/export/1.2/";
    public const string ExcerptNamespace = "http://wordpress.org/export/1.2/excerpt/";
    private const string DateFormat = "yyyy-MM-dd HH:mm:ss";

    private readonly XmlWriter _xml;

    public WxrWriter(Stream output)
    {
        _xml = XmlWriter.Create(output, new XmlWriterSettings
        {
            Async = true,
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = true,
            IndentChars = "\t",
            CloseOutput = false,
        });
    }

    public async Task StartChannelAsync(string title, string link, string description, string language, string baseSiteUrl, DateTime nowUtc)
    {
        await _xml.WriteStartDocumentAsync();
        await _xml.WriteStartElementAsync(null, "rss", null);
        await _xml.WriteAttributeStringAsync(null, "version", null, "2.0");
        await _xml.WriteAttributeStringAsync("xmlns", "excerpt", null, ExcerptNamespace);
        await _xml.WriteAttributeStringAsync("xmlns", "content", null, WxrCursor.ContentNamespace);
        await _xml.WriteAttributeStringAsync("xmlns", "wfw", null, "http://wellformedweb.org/CommentAPI/");
        await _xml.WriteAttributeStringAsync("xmlns", "dc", null, WxrCursor.DcNamespace);
        await _xml.WriteAttributeStringAsync("xmlns", "wp", null, WpNamespace);
        await _xml.WriteStartElementAsync(null, "channel", null);
        await PlainAsync("title", title);
        await PlainAsync("link", link);
        await PlainAsync("description", description);
        await PlainAsync("pubDate", nowUtc.ToString("r", CultureInfo.InvariantCulture));
        await PlainAsync("language", language);
        await WpAsync("wxr_version", "1.2");
        await WpAsync("base_site_url", baseSiteUrl);
        await WpAsync("base_blog_url", link);
    }

    public async Task EndChannelAsync()
    {
        await _xml.WriteEndElementAsync();
        await _xml.WriteEndElementAsync();
        await _xml.WriteEndDocumentAsync();
        await _xml.FlushAsync();
    }

    /// <summary>Opens a wp: element (wp:author, wp:category, item children such as wp:comment).</summary>
    public Task StartWpAsync(string name) => _xml.WriteStartElementAsync("wp", name, WpNamespace);

    public Task StartAsync(string name) => _xml.WriteStartElementAsync(null, name, null);

    public Task EndAsync() => _xml.WriteEndElementAsync();

    /// <summary>A wp: element holding a number or a token (written as plain text, as WordPress does).</summary>
    public Task WpAsync(string name, string value) => _xml.WriteElementStringAsync("wp", name, WpNamespace, XmlSafe(value));

    public Task WpAsync(string name, long value) => WpAsync(name, value.ToString(CultureInfo.InvariantCulture));

    public Task WpDateAsync(string name, DateTime value) => WpCDataAsync(name, value.ToString(DateFormat, CultureInfo.InvariantCulture));

    public async Task WpCDataAsync(string name, string value)
    {
        await _xml.WriteStartElementAsync("wp", name, WpNamespace);
        await CDataAsync(value);
        await _xml.WriteEndElementAsync();
    }

    /// <summary>An element in no namespace or in content:/excerpt:/dc:, its text as CDATA.</summary>
    public async Task CDataElementAsync(string? prefix, string name, string? ns, string value)
    {
        await _xml.WriteStartElementAsync(prefix, name, ns);
        await CDataAsync(value);
        await _xml.WriteEndElementAsync();
    }

    public Task PlainAsync(string name, string value) => _xml.WriteElementStringAsync(null, name, null, XmlSafe(value));

    /// <summary>&lt;category domain="…" nicename="…"&gt;&lt;![CDATA[Name]]&gt;&lt;/category&gt;, an item's term.</summary>
    public async Task ItemTermAsync(string domain, string slug, string name)
    {
        await _xml.WriteStartElementAsync(null, "category", null);
        await _xml.WriteAttributeStringAsync(null, "domain", null, domain);
        await _xml.WriteAttributeStringAsync(null, "nicename", null, XmlSafe(slug));
        await CDataAsync(name);
        await _xml.WriteEndElementAsync();
    }

    public async Task GuidAsync(string guid)
    {
        await _xml.WriteStartElementAsync(null, "guid", null);
        await _xml.WriteAttributeStringAsync(null, "isPermaLink", null, "false");
        await _xml.WriteStringAsync(XmlSafe(guid));
        await _xml.WriteEndElementAsync();
    }

    /// <summary>
    /// Text as CDATA. A CDATA section cannot hold "]]&gt;", so that sequence is split across two sections
    /// ("]]" ends one, "&gt;" starts the next), which a reader joins back into the same text.
    /// </summary>
    public async Task CDataAsync(string value)
    {
        var parts = XmlSafe(value).Split("]]>");
        for (var i = 0; i < parts.Length; i++)
            await _xml.WriteCDataAsync((i > 0 ? ">" : "") + parts[i] + (i < parts.Length - 1 ? "]]" : ""));
    }

    /// <summary>XML 1.0 cannot carry most control characters at all; they are dropped rather than making the file unreadable.</summary>
    public static string XmlSafe(string value)
    {
        if (value.All(XmlConvert.IsXmlChar)) return value;
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (XmlConvert.IsXmlChar(value[i])) sb.Append(value[i]);
            else if (i + 1 < value.Length && XmlConvert.IsXmlSurrogatePair(value[i + 1], value[i]))
            {
                sb.Append(value, i, 2);
                i++;
            }
        }
        return sb.ToString();
    }

    public ValueTask DisposeAsync() => _xml.DisposeAsync();
}
