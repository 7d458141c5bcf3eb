using System.Xml.Linq;

namespace PressMcp.Tests.Import;

/// <summary>
/// What an import of a file should produce, read from the file itself with XDocument and LINQ: independent of
/// the streaming reader under test, so the expected numbers are never hard-coded.
/// </summary>
public sealed class WxrExpectations
{
    private static readonly string[] Imported = ["post", "page", "attachment"];

    public WxrExpectations(string path)
    {
        var doc = XDocument.Load(path);
        var wpUri = doc.Root!.Attributes().Single(a => a.Name.Namespace == XNamespace.Xmlns && a.Name.LocalName == "wp").Value;
        Wp = wpUri;
        var channel = doc.Root.Element("channel")!;
        Items = channel.Elements("item").Where(i => Imported.Contains((string?)i.Element(Wp + "post_type"))).ToList();
        Authors = channel.Elements(Wp + "author").Select(a => (string)a.Element(Wp + "author_login")!).Distinct().ToList();
        Categories = TermSlugs(channel, "category", "category", "category_nicename");
        Tags = TermSlugs(channel, "post_tag", "tag", "tag_slug");
        CategoryParents = channel.Elements(Wp + "category")
            .Select(c => (Slug: Value(c, "category_nicename"), Parent: Value(c, "category_parent")))
            .Where(c => c.Parent.Length > 0).DistinctBy(c => c.Slug).ToDictionary(c => c.Slug, c => c.Parent);
    }

    public XNamespace Wp { get; }
    public List<XElement> Items { get; }
    public List<string> Authors { get; }
    public HashSet<string> Categories { get; }
    public HashSet<string> Tags { get; }
    public Dictionary<string, string> CategoryParents { get; }

    public int Count(string type) => Items.Where(i => Value(i, "post_type") == type).DistinctBy(i => (Value(i, "post_id"), (string?)i.Element("guid"))).Count();
    public int Comments => Items.Sum(i => i.Elements(Wp + "comment").Count());
    public int Meta => Items.Sum(i => i.Elements(Wp + "postmeta").Count());

    public XElement ItemTitled(string title) => Items.Single(i => (string?)i.Element("title") == title);

    public string Value(XElement e, string wpName) => ((string?)e.Element(Wp + wpName) ?? "").Trim();

    /// <summary>Declared terms (wp:category or wp:tag, and wp:term of that taxonomy) and terms the imported items use.</summary>
    private HashSet<string> TermSlugs(XElement channel, string taxonomy, string element, string slugField) =>
        channel.Elements(Wp + element).Select(t => Value(t, slugField))
            .Concat(channel.Elements(Wp + "term").Where(t => Value(t, "term_taxonomy") == taxonomy).Select(t => Value(t, "term_slug")))
            .Concat(Items.SelectMany(i => i.Elements("category")).Where(c => (string?)c.Attribute("domain") == taxonomy).Select(c => (string)c.Attribute("nicename")!))
            .Select(Uri.UnescapeDataString)
            .ToHashSet(StringComparer.Ordinal);
}
