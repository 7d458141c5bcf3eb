using System.Globalization;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using PressMcp.Content;

namespace PressMcp.Tests.Content;

/// <summary>
/// The renderer against a corpus of published XSS vectors (xss-vectors.txt: the categories of the OWASP XSS Filter
/// Evasion Cheat Sheet and similar lists): whatever goes in, what comes out holds only the allow-listed elements and
/// attributes, no event handler, and links and images only to allowed schemes. The policy is written out here again,
/// apart from the sanitizer's, so a change to one shows in the other.
/// </summary>
[Trait(Category.Name, Category.Unit)]
public sealed class XssCorpusTests
{
    private const string Site = "https://blog.example.com";

    private static readonly HashSet<string> Elements =
    [
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "div", "span", "strong", "b", "em", "i", "u", "s",
        "del", "ins", "sub", "sup", "small", "mark", "abbr", "cite", "q", "dfn", "time", "code", "pre", "kbd", "samp",
        "var", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "a", "img", "figure", "figcaption", "table",
        "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col", "details", "summary", "wbr",
    ];

    private static readonly HashSet<string> GlobalAttributes = ["title", "lang", "dir", "class"];

    private static readonly Dictionary<string, string[]> ElementAttributes = new()
    {
        ["a"] = ["href", "rel"],
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

    public static TheoryData<int, string> Vectors()
    {
        var data = new TheoryData<int, string>();
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Content", "xss-vectors.txt"));
        for (var i = 0; i < lines.Length; i++)
            if (lines[i].Length > 0 && !lines[i].StartsWith('#')) data.Add(i + 1, Unescape(lines[i]));
        return data;
    }

    [Fact]
    public void Corpus_HasTheVectors() => Assert.True(Vectors().Count >= 150, $"{Vectors().Count} vectors");

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Render_PublishedVector_OnlyAllowListedMarkupSurvives(int line, string vector)
    {
        foreach (var input in new[] { vector, $"<p>before</p>\n\n{vector}\n\n<p>after</p>", $"<!-- wp:paragraph -->{vector}" })
        {
            var html = ContentRenderer.Render(input, Site);
            var context = $"line {line}: {html}";
            var parser = new HtmlParser();
            using var document = parser.ParseDocument("");
            var nodes = parser.ParseFragment(html, document.Body!);
            var elements = nodes.OfType<IElement>().SelectMany(e => e.DescendantsAndSelf<IElement>()).ToList();
            Assert.DoesNotContain('\uFDD0', html);
            foreach (var element in elements)
            {
                Assert.True(element.NamespaceUri == NamespaceNames.HtmlUri && Elements.Contains(element.LocalName), $"<{element.LocalName}> at {context}");
                foreach (var attribute in element.Attributes)
                {
                    var allowed = GlobalAttributes.Contains(attribute.Name)
                        || (ElementAttributes.TryGetValue(element.LocalName, out var own) && own.Contains(attribute.Name));
                    Assert.True(allowed, $"{attribute.Name} on <{element.LocalName}> at {context}");
                    if (attribute.Name is "href" or "cite") AssertScheme(attribute.Value, ["http", "https", "mailto", "tel"], context);
                    if (attribute.Name == "src") AssertScheme(attribute.Value, ["http", "https"], context);
                }
            }
        }
    }

    /// <summary>A URL's scheme as a browser reads it (control characters and white space inside it ignored); none when relative.</summary>
    private static void AssertScheme(string url, string[] schemes, string context)
    {
        var compact = new string(url.Where(c => c > ' ' && c != '\u007f').ToArray());
        var colon = compact.IndexOf(':', StringComparison.Ordinal);
        var delimiter = compact.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (delimiter >= 0 && delimiter < colon)) return;
        Assert.Contains(compact[..colon].ToLowerInvariant(), schemes);
        Assert.False(url.Contains("javascript", StringComparison.OrdinalIgnoreCase), $"{url} at {context}");
    }

    private static string Unescape(string line)
    {
        var sb = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] != '\\' || i + 1 == line.Length) { sb.Append(line[i]); continue; }
            var next = line[++i];
            switch (next)
            {
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case '0': sb.Append('\0'); break;
                case '\\': sb.Append('\\'); break;
                case 'u' when i + 4 < line.Length:
                    sb.Append((char)int.Parse(line.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                default: sb.Append('\\').Append(next); break;
            }
        }
        return sb.ToString();
    }
}
