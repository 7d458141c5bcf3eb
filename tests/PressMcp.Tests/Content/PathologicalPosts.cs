namespace PressMcp.Tests.Content;

/// <summary>
/// Posts shaped like the markup that made rendering quadratic before <c>TreeBuildingGuard</c> and the linear
/// <c>Autop</c> scans: deep nesting, unclosed <c>&lt;pre&gt;</c>, formatting elements reopened in every paragraph,
/// runs of tag names the automatic paragraphs' patterns tried again and again. Each makes a post of about n characters.
/// Shared by <see cref="RenderingTimeTests"/> and the rendering benchmark (bench/PressMcp.Bench links this file).
/// </summary>
internal static class PathologicalPosts
{
    public static readonly IReadOnlyDictionary<string, Func<int, string>> Shapes = new Dictionary<string, Func<int, string>>
    {
        ["nested divs, unclosed"] = n => Repeat("<div>", n / 5),
        ["nested divs, closed"] = n => Repeat("<div>", n / 11) + "deep" + Repeat("</div>", n / 11),
        ["unclosed pre elements"] = n => Repeat("<pre>code line\n", n / 15),
        ["classed inline elements, then paragraphs"] = n =>
            string.Concat(Enumerable.Range(0, n / 2 / 16).Select(i => $"<b class=c{i}>a")) + Repeat("\n\npara", n / 2 / 6),
        ["nested lists"] = n => Repeat("<ul><li>", n / 8),
        ["unclosed b and i"] = n => Repeat("<b><i>", n / 6),
        ["formatting left open in every paragraph"] = n =>
            string.Concat(Enumerable.Range(0, n / 2 / 22).Select(i => $"<p><b class=c{i}></p>")) + Repeat("</i>", n / 2 / 4),
        ["formatting with a long title reopened"] = n => "<p><b title=\"" + new string('t', 2000) + "\"></p>" + Repeat("<p>x", (n - 2000) / 4),
        ["block tag names without an end"] = n => "x\n" + Repeat("<div", n / 4),
        ["one long line of inline elements"] = n => Repeat("word <em>word</em> ", n / 19),
    };

    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));
}
