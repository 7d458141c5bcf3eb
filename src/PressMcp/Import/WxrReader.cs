using System.Xml;
using PressMcp.Content;

namespace PressMcp.Import;

/// <summary>
/// Streams a WordPress export (WXR 1.0, 1.1, 1.2) one record at a time: the header (its wp:wxr_version), then authors,
/// terms and items in file order, with a warning for each item it skips. Only the current item is in memory, and no
/// text longer than the content bound is ever held whole, so neither the file's size nor one post's size matters.
/// XML safety: DTDs are refused and nothing external is ever resolved (no XXE, no entity expansion bombs).
/// As WordPress's importer: a file without a valid wp:wxr_version is refused; an item it cannot place is skipped with a
/// warning, never the whole file.
/// </summary>
internal sealed partial class WxrReader : IDisposable
{
    private readonly XmlReader _xml;
    private readonly WxrCursor _cursor;
    private readonly WxrItemReader _items;
    private bool _sawVersion;

    /// <param name="maxContentLength">The content bound (<c>ContentLimits.MaxContentLength</c>): an item whose content or
    /// excerpt is longer is skipped with a warning, and no other field may be longer.</param>
    public WxrReader(Stream stream, TimeZoneInfo siteZone, int maxContentLength = Content.ContentLimits.DefaultMaxContentLength)
    {
        // The inner stream stays the caller's to dispose (CloseInput is false).
        _xml = XmlReader.Create(new CdataBound(stream, maxContentLength), Settings());
        _cursor = new WxrCursor(_xml, maxContentLength);
        _items = new WxrItemReader(_cursor, siteZone);
    }

    /// <summary>Where the reader is: for errors XmlReader reports without a position (a refused DTD).</summary>
    public SourcePosition Here => _cursor.Here;

    public static XmlReaderSettings Settings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    public void Dispose() => _xml.Dispose();

    /// <summary>Every record of the export, in file order. Throws <see cref="WxrFormatException"/> or <see cref="XmlException"/> on bad input.</summary>
    public IEnumerable<WxrRecord> Records()
    {
        var xml = _cursor.Xml;
        xml.MoveToContent();
        var root = _cursor.Here;
        if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "rss" || xml.NamespaceURI.Length != 0)
            throw WxrCursor.Fail(root, $"not a WordPress export: the document is <{xml.Name}>, not <rss>");
        _ = _cursor.DeclareNamespaces()
            ?? throw WxrCursor.Fail(root, "not a WordPress export: <rss> does not declare the WordPress export namespace (xmlns:wp=\"http://wordpress.org/export/1.2/\")");

        var sawChannel = false;
        foreach (var name in _cursor.Children())
        {
            if (name != "channel" || _cursor.Namespace != WxrNamespace.None || sawChannel) continue;
            sawChannel = true;
            var channel = _cursor.Here;
            foreach (var record in Channel())
                yield return record;
            // WordPress's importer refuses such a file too ("missing/invalid WXR version number").
            if (!_sawVersion) throw WxrCursor.Fail(channel, "not a WordPress export: <channel> has no wp:wxr_version");
        }
        if (!sawChannel) throw WxrCursor.Fail(root, "not a WordPress export: <rss> has no <channel>");
        // Read to the end so a file cut off after the channel is still reported as truncated.
        while (xml.Read())
        {
        }
    }

    private IEnumerable<WxrRecord> Channel()
    {
        foreach (var name in _cursor.Children())
        {
            switch (_cursor.Namespace, name)
            {
                case (WxrNamespace.Wp, "wxr_version") when !_sawVersion:
                    _sawVersion = true;
                    yield return Version();
                    break;
                case (WxrNamespace.Wp, "author"):
                    yield return Author();
                    break;
                case (WxrNamespace.Wp, "category"):
                    yield return Term(Taxonomies.Category, "category_nicename", "cat_name", "category_description", "category_parent");
                    break;
                case (WxrNamespace.Wp, "tag"):
                    yield return Term(Taxonomies.Tag, "tag_slug", "tag_name", "tag_description", null);
                    break;
                case (WxrNamespace.Wp, "term"):
                    yield return Term(null, "term_slug", "term_name", "term_description", "term_parent");
                    break;
                case (WxrNamespace.None, "item"):
                    yield return _items.Item();
                    foreach (var warning in _items.TakeWarnings()) yield return warning;
                    break;
            }
        }
    }

    /// <summary>The version WordPress checks: digits, a dot, digits ("1.2").</summary>
    private WxrHeader Version()
    {
        var at = _cursor.Here;
        var version = _cursor.Bounded("wp:wxr_version", 20);
        return VersionPattern().IsMatch(version)
            ? new WxrHeader(version)
            : throw WxrCursor.Fail(at, $"not a WordPress export: wp:wxr_version '{WxrCursor.Clip(version)}' is not a version number such as 1.2");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[0-9]+\.[0-9]+$")]
    private static partial System.Text.RegularExpressions.Regex VersionPattern();

    private WxrAuthor Author()
    {
        var at = _cursor.Here;
        string login = "", email = "", display = "";
        long? id = null;
        foreach (var name in _cursor.Children())
        {
            if (_cursor.Namespace != WxrNamespace.Wp) continue;
            switch (name)
            {
                case "author_id": id = _cursor.Long("wp:author_id", 0); break;
                case "author_login": login = _cursor.Bounded("wp:author_login", 256); break;
                case "author_email": email = _cursor.Bounded("wp:author_email", 256); break;
                case "author_display_name": display = _cursor.Bounded("wp:author_display_name", 250); break;
            }
        }
        if (login.Length == 0) throw WxrCursor.Fail(at, "a wp:author has no wp:author_login");
        return new WxrAuthor(login, email, display.Length == 0 ? login : display, id);
    }

    /// <summary>wp:category, wp:tag and wp:term share a shape; only their field names differ.</summary>
    private WxrTerm Term(string? taxonomy, string slugField, string nameField, string descriptionField, string? parentField)
    {
        var at = _cursor.Here;
        string slug = "", termName = "", description = "", parent = "";
        foreach (var name in _cursor.Children())
        {
            if (_cursor.Namespace != WxrNamespace.Wp) continue;
            if (name == "term_taxonomy") taxonomy = _cursor.Text().Trim();
            else if (name == slugField) slug = WxrItemReader.DecodeSlug(_cursor.Text());
            else if (name == nameField) termName = _cursor.Text().Trim();
            else if (name == descriptionField) description = _cursor.Text();
            else if (name == parentField) parent = WxrItemReader.DecodeSlug(_cursor.Text());
        }
        if (string.IsNullOrEmpty(taxonomy)) throw WxrCursor.Fail(at, "a wp:term has no wp:term_taxonomy");
        if (slug.Length == 0) slug = Slugs.FromTitle(termName);
        if (slug.Length == 0) throw WxrCursor.Fail(at, $"a {taxonomy} term has neither a slug nor a name");
        if (taxonomy is Taxonomies.Category or Taxonomies.Tag)
        {
            if (slug.Length > Slugs.MaxLength) throw WxrCursor.Fail(at, $"the {taxonomy} slug '{WxrCursor.Clip(slug)}' is longer than {Slugs.MaxLength} characters");
            if (termName.Length > 200) throw WxrCursor.Fail(at, $"the {taxonomy} name '{WxrCursor.Clip(termName)}' is longer than 200 characters");
        }
        return new WxrTerm(taxonomy, slug, termName.Length == 0 ? slug : termName, description, parent);
    }
}
