using PressMcp.Content;

namespace PressMcp.Tests.Content;

/// <summary>Automatic excerpts: words as WordPress's wp_trim_words counts them, whatever the spacing.</summary>
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
}
