using PressMcp.Content;

namespace PressMcp.Tests.Content;

/// <summary>
/// Plain text from post HTML: automatic excerpts (words as WordPress's wp_trim_words counts them, whatever the spacing),
/// and the text the search index gets, from strings and, in its SQL function, from UTF-8.
/// </summary>
[Trait(Category.Name, Category.Unit)]
public sealed class HtmlTextTests
{
    /// <summary>The plain definition: split on white space, keep the first words, an ellipsis when cut.</summary>
    private static string Reference(string text, int words)
    {
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length <= words ? string.Join(' ', parts) : string.Join(' ', parts.Take(words)) + " …";
    }

    [Theory]
    [InlineData("", 3)]
    [InlineData("   ", 3)]
    [InlineData("one", 3)]
    [InlineData("  one  two\tthree\n", 3)]
    [InlineData("one two three four", 3)]
    [InlineData("one two three   ", 3)]
    [InlineData("one\u00A0two\u2003three\u3000four five", 3)]
    [InlineData("ünïcode wörds, with punctuation! and more", 4)]
    [InlineData("anything", 0)]
    [InlineData("", 0)]
    public void TrimWords_MatchesTheSplitDefinition(string text, int words) =>
        Assert.Equal(Reference(text, words), HtmlText.TrimWords(text, words));

    [Fact]
    public void TrimWords_FiftyFiveByDefault_OnARealPost()
    {
        var text = HtmlText.Strip(string.Concat(Enumerable.Range(1, 80).Select(i => $"<p>word{i} &amp; </p>\n")));
        Assert.Equal(Reference(text, 55), HtmlText.TrimWords(text));
        Assert.EndsWith("word27 & word28 …", HtmlText.TrimWords(text), StringComparison.Ordinal);
        var exact = string.Join(' ', Enumerable.Range(1, 55).Select(i => "w" + i));
        Assert.Equal(exact, HtmlText.TrimWords(exact + "  "));
    }

    /// <summary>The plain definition: every tag, or an unclosed one to the end, becomes a space; then entities are decoded.</summary>
    private static string StripReference(string html)
    {
        var sb = new System.Text.StringBuilder();
        var inTag = false;
        foreach (var ch in html)
        {
            if (inTag) inTag = ch != '>';
            else if (ch == '<') (inTag, _) = (true, sb.Append(' '));
            else sb.Append(ch);
        }
        return System.Net.WebUtility.HtmlDecode(sb.ToString());
    }

    public static TheoryData<string> Html => new()
    {
        "",
        "plain words",
        "<p>one</p><p>two</p>",
        "<<b>>x",
        "a > b < c",
        "unclosed <a href='x",
        "<a href=\"/?a=1&amp;b=2\">link</a> after",
        "fish &amp; chips&nbsp;&#8217;s <em>menu</em>",
        "ünïcode <b>wörds</b> 日本語 <i>😀</i>",
        "<",
        ">",
        "<>",
        "&",
    };

    [Theory]
    [MemberData(nameof(Html))]
    public void Strip_MatchesTheCharacterDefinition(string html) => Assert.Equal(StripReference(html), HtmlText.Strip(html));

    [Theory]
    [MemberData(nameof(Html))]
    public void TryStripUtf8_GivesStripsBytes_OrDefersToIt(string html)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(html);
        var destination = new byte[bytes.Length];
        if (HtmlText.TryStripUtf8(bytes, destination, out var written))
            Assert.Equal(HtmlText.Strip(html), System.Text.Encoding.UTF8.GetString(destination, 0, written));
        else
            Assert.Contains('&', StripReference(html.Replace("&", "&amp;", StringComparison.Ordinal)));
    }

    [Fact]
    public void TryStripUtf8_TakesTextWithoutEntities_AndLeavesEntitiesAndBadBytesToStrip()
    {
        var destination = new byte[64];
        Assert.True(HtmlText.TryStripUtf8("<p>caf\u00e9 <a href=\"?a&amp;b\">menu</a></p>"u8, destination, out var written));
        Assert.Equal(" café  menu  ", System.Text.Encoding.UTF8.GetString(destination, 0, written));
        Assert.False(HtmlText.TryStripUtf8("<p>fish &amp; chips</p>"u8, destination, out _));
        // A lone continuation byte outside a tag: Strip decodes it to U+FFFD, which only the string path does.
        Assert.False(HtmlText.TryStripUtf8([(byte)'a', 0x80, (byte)'<', (byte)'b', (byte)'>'], destination, out _));
        // Inside a tag it goes with the tag, on both paths.
        Assert.True(HtmlText.TryStripUtf8([(byte)'a', (byte)'<', 0x80, (byte)'>', (byte)'b'], destination, out written));
        Assert.Equal("a b", System.Text.Encoding.UTF8.GetString(destination, 0, written));
    }

    /// <summary>
    /// Pieces of HTML that make a cut start differ from the whole if the excerpt trusted it too early: tags and
    /// entities a cut can split, entities that decode to white space (<c>&amp;#32 ;</c> parses, with its space),
    /// white space of several kinds, long words.
    /// </summary>
    private static readonly string[] Pieces =
    [
        "word", "longerword", "日本語", "😀", " ", "  ", "\n", "\t", "\u00A0", "<p>", "</p>", "<a href=\"/?a=1&amp;b=2\">", "</a>", "<br/>",
        "&amp;", "&nbsp;", "&#32;", "&#32 ;", "&#x20;", "&#8217;", "&", ";", "&amp", "&#", "<", ">", "<b", "x&y;z",
        new string('w', 300), "<!-- a comment -->",
    ];

    /// <summary>Random HTML around the lengths where the excerpt reads only the start (880 characters, then 3,520).</summary>
    public static TheoryData<int> Seeds => [.. Enumerable.Range(0, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Excerpt_IsTrimWordsOfStrip_WhateverTheHtml(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 50; i++)
        {
            var html = new System.Text.StringBuilder();
            var length = random.Next(0, 5000);
            while (html.Length < length) html.Append(Pieces[random.Next(Pieces.Length)]);
            foreach (var words in new[] { 55, 3, 0, 120 })
                Assert.Equal(HtmlText.TrimWords(HtmlText.Strip(html.ToString()), words), HtmlText.Excerpt(html.ToString(), words));
        }
    }

    [Theory]
    [InlineData("&#32;")]
    [InlineData("&# 32;")]
    [InlineData("&#32 ;")]
    [InlineData("&nbsp;")]
    public void Excerpt_StartCutInsideAnEntityOfWhiteSpace_ReadsOnAndGivesTheWholesAnswer(string entity)
    {
        // Fifty-five words, then an entity of white space that the first start (880 characters) cuts after three
        // characters, then the end: there is no 56th word, so no ellipsis. Read alone, the start would see "&#3" or
        // "&# 3" as more words and add one.
        var words = string.Join(' ', Enumerable.Range(1, 54).Select(i => "w" + i));
        var html = words + " " + new string('x', 880 - words.Length - 5) + " " + entity + "  ";
        Assert.Equal(880 - 3, html.IndexOf('&', StringComparison.Ordinal));
        Assert.Equal(words + " " + new string('x', 880 - words.Length - 5), HtmlText.Excerpt(html));
        Assert.Equal(HtmlText.TrimWords(HtmlText.Strip(html)), HtmlText.Excerpt(html));
    }

    [Fact]
    public void Excerpt_StartCutInsideATag_ReadsOn()
    {
        var words = string.Join(' ', Enumerable.Range(1, 54).Select(i => "w" + i));
        var tag = words + " last<a href='" + new string('y', 2000) + "'>after</a>";
        Assert.Equal(words + " last …", HtmlText.Excerpt(tag));
        Assert.Equal("", HtmlText.Excerpt(null));
        Assert.Equal("", HtmlText.Excerpt("<p></p>"));
    }
}
