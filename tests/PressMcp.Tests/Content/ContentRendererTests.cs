using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using PressMcp.Content;

namespace PressMcp.Tests.Content;

/// <summary>The one renderer: WordPress-like paragraphs, then the allow-list sanitizer against hostile markup.</summary>
[Trait(Category.Name, Category.Unit)]
public sealed class ContentRendererTests
{
    private const string Site = "https://blog.example.com";

    // OWASP XSS filter evasion cheat sheet style: each must come out with nothing that runs or restyles the page.
    public static TheoryData<string> Hostile =>
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<img src=\"https://example.com/a.png\" onerror=\"alert(1)\" onload=alert(2)>",
        "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
        "<img src=javascript:alert(1)>",
        "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
        "<a href=\"jAvAsCrIpT:alert(1)\">x</a>",
        "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
        "<a href=\"&#x6A;avascript&#x3A;alert(1)\">x</a>",
        "<a href=\" \u0001javascript:alert(1)\">x</a>",
        "<a href=\"java\nscript:alert(1)\">x</a>",
        "<a href=\"vbscript:msgbox(1)\">x</a>",
        "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
        "<svg onload=alert(1)><circle r=10 /></svg>",
        "<svg><script>alert(1)</script></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<object data=\"https://evil.example/x.swf\"></object><embed src=\"https://evil.example/x.swf\">",
        "<style>body{display:none}</style><p>hi</p>",
        "<p style=\"background:url(javascript:alert(1))\">x</p>",
        "<div style=\"width: expression(alert(1))\">x</div>",
        "<base href=\"https://evil.example/\">",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
        "<link rel=stylesheet href=\"https://evil.example/x.css\">",
        "<form action=\"https://evil.example\"><input name=p><button>go</button></form>",
        "<body onload=alert(1)>",
        "<div onmouseover=\"alert(1)\">hover</div>",
        "<<script>alert(1);//<</script>",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<img \"\"\"><script>alert(1)</script>\">",
        "<a href=\"https://example.com\" onclick=\"alert(1)\">ok</a>",
        "<details open ontoggle=alert(1)><summary>s</summary></details>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
        "<template><img src=x onerror=alert(1)></template>",
        "<video><source onerror=\"alert(1)\"></video>",
        "<textarea><img src=x onerror=alert(1)></textarea>",
        "<!--<img src=x onerror=alert(1)>-->",
        "<a href=\"https://example.com\" target=\"_blank\" style=\"position:fixed\">x</a>",
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Render_HostileInput_NothingActiveSurvives(string input)
    {
        var html = ContentRenderer.Render(input, Site);
        var fragment = ParseFragment(html);
        var elements = fragment.SelectMany(n => n is IElement e ? e.DescendantsAndSelf<IElement>() : []).ToList();

        string[] forbidden = ["script", "style", "iframe", "object", "embed", "form", "input", "button", "base", "meta", "link", "svg", "math", "template", "noscript", "textarea", "video", "source"];
        Assert.DoesNotContain(elements, e => forbidden.Contains(e.LocalName));
        foreach (var attribute in elements.SelectMany(e => e.Attributes))
        {
            Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"event handler {attribute.Name} in {html}");
            Assert.NotEqual("style", attribute.Name);
            Assert.NotEqual("target", attribute.Name);
            Assert.NotEqual("srcdoc", attribute.Name);
            if (attribute.Name is "href" or "src" or "cite")
            {
                var value = new string(attribute.Value.Where(c => c > ' ').ToArray()).ToLowerInvariant();
                Assert.False(value.StartsWith("javascript:", StringComparison.Ordinal) || value.StartsWith("vbscript:", StringComparison.Ordinal) || value.StartsWith("data:", StringComparison.Ordinal), $"{attribute.Name}={attribute.Value} in {html}");
            }
        }
    }

    [Theory]
    [InlineData("<img src=x onerror=alert(1)>", "<img src=\"x\">")]
    [InlineData("<a href=\"jAvAsCrIpT:alert(1)\">x</a>", "<a>x</a>")]
    [InlineData("<script>alert(1)</script><p>after</p>", "<p>after</p>")]
    [InlineData("<p><font color=red>old <b>bold</b></font></p>", "<p>old <b>bold</b></p>")]
    [InlineData("<p>1 < 2 & \"q\"</p>", "<p>1 &lt; 2 &amp; \"q\"</p>")]
    [InlineData("<ul><li>one<li>two</ul>", "<ul><li>one</li><li>two</li></ul>")]
    [InlineData("<p><b>bold <i>both</b> italic?</i></p>", "<p><b>bold <i>both</i></b><i> italic?</i></p>")]
    [InlineData("<img src=\"https://cdn.example/a.png\" alt=\"A &amp; B\" width=\"640\" height=\"x\">", "<img src=\"https://cdn.example/a.png\" alt=\"A &amp; B\" width=\"640\">")]
    [InlineData("<table><tr><th scope=col>h</th></tr><tr><td colspan=2>d</td></tr></table>", "<table><tbody><tr><th scope=\"col\">h</th></tr><tr><td colspan=\"2\">d</td></tr></tbody></table>")]
    [InlineData("<figure class=\"wp-block-image\"><img src=\"/a.png\" alt=\"\"><figcaption>Cap</figcaption></figure>", "<figure class=\"wp-block-image\"><img src=\"/a.png\" alt=\"\"><figcaption>Cap</figcaption></figure>")]
    public void Sanitize_KnownInput_GivesExactOutput(string input, string expected) => Assert.Equal(expected, HtmlSanitizer.Sanitize(input, Site));

    [Theory]
    [InlineData("<img src=x onerror=alert(1)>", "<p><img src=\"x\"></p>")]
    [InlineData("<script>alert(1)</script>\n\n<p>after</p>", "<p>after</p>")]
    [InlineData("<ul><li>one<li>two</ul>", "<ul>\n<li>one\n</li><li>two</li></ul>")]
    [InlineData("<figure><img src=\"/a.png\" alt=\"\"><figcaption>Cap</figcaption></figure>", "<figure><img src=\"/a.png\" alt=\"\">\n<figcaption>Cap</figcaption>\n</figure>")]
    public void Render_ClassicInput_ParagraphsThenSanitized(string input, string expected) => Assert.Equal(expected, ContentRenderer.Render(input, Site));

    [Fact]
    public void Render_Links_ExternalGetNofollowNoopener_InternalAndMailDoNot()
    {
        var html = ContentRenderer.Render(
            "<p><a href=\"https://other.example/x\" rel=\"author\">ext</a> <a href=\"//cdn.example/y\">proto</a> " +
            "<a href=\"https://blog.example.com/2026/01/02/post/\">int</a> <a href=\"/about/\">rel</a> <a href=\"mailto:a@example.com\">mail</a></p>", Site);
        var links = ParseFragment(html).SelectMany(n => ((IElement)n).QuerySelectorAll("a")).ToDictionary(a => a.TextContent, a => a.GetAttribute("rel"));
        Assert.Equal("nofollow noopener", links["ext"]);
        Assert.Equal("nofollow noopener", links["proto"]);
        Assert.Null(links["int"]);
        Assert.Null(links["rel"]);
        Assert.Null(links["mail"]);
    }

    [Fact]
    public void Render_ClassicText_BlankLinesMakeParagraphs_NewlinesMakeBreaks()
    {
        var html = ContentRenderer.Render("First line\nsecond line\n\nNext paragraph\r\n\r\n\r\nThird");
        Assert.Equal("<p>First line<br>\nsecond line</p>\n<p>Next paragraph</p>\n<p>Third</p>", html);
    }

    [Fact]
    public void Render_ClassicText_BlockElementsAreNotWrapped_PreKeepsNewlines()
    {
        var html = ContentRenderer.Render("Intro\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\nAfter\n\n<pre>a\n\nb</pre>\n\n<h2>Title</h2>\nText");
        var nodes = ParseFragment(html).OfType<IElement>().Select(e => e.LocalName).ToList();
        Assert.Equal(["p", "ul", "p", "pre", "h2", "p"], nodes);
        Assert.Contains("<pre>a\n\nb</pre>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<p><ul>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<br>", html.Split("<pre>")[0].Split("After")[0].Split("<ul>")[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Render_BlockEditorContent_DropsBlockComments_NoExtraParagraphs()
    {
        var raw = "<!-- wp:paragraph -->\n<p>Hello <em>blocks</em></p>\n<!-- /wp:paragraph -->\n\n<!-- wp:heading -->\n<h2>Part</h2>\n<!-- /wp:heading -->\n\n[gallery ids=\"1,2\"]";
        var html = ContentRenderer.Render(raw);
        Assert.DoesNotContain("wp:", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<!--", html, StringComparison.Ordinal);
        var elements = ParseFragment(html).OfType<IElement>().Select(e => e.LocalName).ToList();
        Assert.Equal(["p", "h2"], elements);
        Assert.Contains("[gallery ids=\"1,2\"]", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DeeplyNested_DoesNotOverflow()
    {
        var raw = string.Concat(Enumerable.Repeat("<div>", 20_000)) + "deep" + string.Concat(Enumerable.Repeat("</div>", 20_000));
        Assert.Contains("deep", ContentRenderer.Render(raw), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NestedDeeperThanTheBound_DeepTagsNotOpened_WhatFollowsInPlace()
    {
        var raw = string.Concat(Enumerable.Repeat("<div class=\"d\">", 1000)) + "deep" + string.Concat(Enumerable.Repeat("</div>", 1000)) + "\n\n<p>after <b>bold</b> <i>italic</i></p>";
        var html = ContentRenderer.Render(raw);

        var nodes = ParseFragment(html);
        var depths = nodes.OfType<IElement>().SelectMany(e => e.DescendantsAndSelf<IElement>()).Select(e => e.Ancestors<IElement>().Count() + 1);
        Assert.InRange(depths.Max(), TreeBuildingGuard.MaxDepth - 3, TreeBuildingGuard.MaxDepth);
        Assert.Contains("deep", html, StringComparison.Ordinal);
        // The end tags of the divs not opened are dropped with them, so the paragraph after is not inside any div.
        Assert.Equal("<p>after <b>bold</b> <i>italic</i></p>", nodes.OfType<IElement>().Last().OuterHtml);
    }

    [Fact]
    public void Render_FormattingReopenedInEveryParagraph_OutputStaysProportional()
    {
        // A formatting element left open is reopened, with its attributes, in every following block (HTML5's
        // "reconstruct the active formatting elements"): 40 KB of paragraphs once came out as 40 MB.
        var raw = "<p><b title=\"" + new string('t', 4000) + "\"></p>" + string.Concat(Enumerable.Repeat("<p>x</p>", 5000));
        var html = ContentRenderer.Render(raw);
        Assert.InRange(html.Length, 1, 4 * raw.Length + 2 * 64 * 1024);
        Assert.StartsWith("<p><b title=", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_CancelledRequest_StopsWithCancellation()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var raw = string.Concat(Enumerable.Repeat("<p>paragraph</p>", 10_000));
        Assert.Throws<OperationCanceledException>(() => ContentRenderer.Render(raw, Site, cancelled.Token));
        // Also inside the parse, where a large post spends its time.
        Assert.Throws<OperationCanceledException>(() => HtmlSanitizer.Sanitize(raw, Site, cancelled.Token));
    }

    [Fact]
    public void RenderedContent_UnchangedContent_RenderedOnce_ChangedOrOtherSite_RenderedAgain()
    {
        using var rendered = new RenderedContent();
        var raw = "<p>Hello <a href=\"https://other.example/\">there</a></p>";
        var first = rendered.Html(raw, Site, default);
        Assert.Same(first, rendered.Html(raw, Site, default));
        Assert.Equal(ContentRenderer.Render(raw, Site), first);
        Assert.Equal(ContentRenderer.Render(raw + "!", Site), rendered.Html(raw + "!", Site, default));
        Assert.Equal(ContentRenderer.Render(raw, "https://other.example"), rendered.Html(raw, "https://other.example", default));

        var post = new Post { Content = "<p>" + string.Join(' ', Enumerable.Range(1, 60)) + "</p>" };
        var excerpt = rendered.Excerpt(post, default);
        Assert.Same(excerpt, rendered.Excerpt(post, default));
        Assert.Equal(ContentRenderer.Excerpt(post), excerpt);
    }

    [Fact]
    public void Excerpt_UsesAuthorExcerpt_OrFirstWordsOfRenderedContent()
    {
        Assert.Equal("Short <one>", ContentRenderer.Excerpt(new Post { Excerpt = "Short &lt;one&gt;", Content = "ignored" }));
        var post = new Post { Content = "<script>var secret;</script><p>" + string.Join(' ', Enumerable.Range(1, 60)) + "</p>" };
        Assert.Equal(string.Join(' ', Enumerable.Range(1, 55)) + " …", ContentRenderer.Excerpt(post));
    }

    private static INodeList ParseFragment(string html)
    {
        var parser = new HtmlParser();
        var document = parser.ParseDocument("");
        return parser.ParseFragment(html, document.Body!);
    }
}
