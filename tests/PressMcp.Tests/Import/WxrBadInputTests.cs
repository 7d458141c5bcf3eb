using System.Text.RegularExpressions;
using PressMcp.Sites;

namespace PressMcp.Tests.Import;

/// <summary>
/// Bad exports through the real command: a non-zero exit, one line that names the problem and where it is
/// (file:line:column), and a database exactly as it was (every table's row count, the id sequences).
/// </summary>
[Trait(Category.Name, Category.Integration)]
[Trait(Category.Name, Category.Storage)]
public sealed partial class WxrBadInputTests : IAsyncLifetime
{
    private ImportHarness _harness = null!;
    private Site _site = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await ImportHarness.CreateAsync();
        _site = await _harness.CreateSiteAsync("news");
        // Content already there, so "unchanged" is checked against something.
        await _harness.ImportAsync(_site, _harness.Write("seed.xml", WxrFiles.Wxr(WxrFiles.Alice + WxrFiles.Item(1, "Seed", "seed"))));
    }

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    private static readonly string Valid = WxrFiles.Wxr(WxrFiles.Alice + WxrFiles.Item(10, "Kept out", "kept-out") + WxrFiles.Item(11, "Also out", "also-out"));

    /// <summary>Each bad file, the text its error must contain, and a marker whose line the error must name (null: any position).</summary>
    public static TheoryData<string, string, string, string?> BadFiles => new()
    {
        { "not-xml", "this is not XML at all", "not well-formed XML", null },
        { "truncated", Valid[..(Valid.IndexOf("<wp:post_name>", StringComparison.Ordinal) + 20)], "not well-formed XML: Unexpected end of file", null },
        { "html", "<html><body>hello</body></html>", "not a WordPress export: the document is <html>, not <rss>", "<html>" },
        { "plain-rss", "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel><title>Feed</title><item><title>A</title></item></channel>\n</rss>", "does not declare the WordPress export namespace", "<rss" },
        { "no-channel", WxrFiles.Header[..WxrFiles.Header.IndexOf("<channel>", StringComparison.Ordinal)] + "</rss>", "<rss> has no <channel>", "<rss" },
        // As WordPress's importer: no version, or one that is not a number, is not a WordPress export (an item without
        // wp:post_id no longer refuses the file: WxrFormatTests).
        { "no-version", WxrFiles.Wxr(WxrFiles.Item(10, "Fine", "fine")).Replace("<wp:wxr_version>1.2</wp:wxr_version>", "", StringComparison.Ordinal), "not a WordPress export: <channel> has no wp:wxr_version", "<channel>" },
        { "bad-version", WxrFiles.Wxr(WxrFiles.Item(10, "Fine", "fine")).Replace("<wp:wxr_version>1.2</wp:wxr_version>", "<wp:wxr_version>latest</wp:wxr_version>", StringComparison.Ordinal), "not a WordPress export: wp:wxr_version 'latest' is not a version number such as 1.2", "<wp:wxr_version>" },
        { "bad-date", WxrFiles.Wxr(WxrFiles.Item(10, "Fine", "fine") + WxrFiles.Item(12, "When", "when", dateGmt: "yesterday")), "wp:post_date_gmt 'yesterday' is not a date", "yesterday" },
        { "bad-id", WxrFiles.Wxr(WxrFiles.Item(10, "Fine", "fine").Replace("<wp:post_id>10</wp:post_id>", "<wp:post_id>ten</wp:post_id>", StringComparison.Ordinal)), "wp:post_id 'ten' is not a whole number", "<wp:post_id>ten" },
        { "bad-status", WxrFiles.Wxr(WxrFiles.Item(12, "Odd", "odd", status: "bogus")), "item 12: wp:status 'bogus' is not one of", "<item>" },
        { "bad-comment", WxrFiles.Wxr(WxrFiles.Item(12, "C", "c", WxrReimportTests.Comment(3, 0, "maybe", "Hi"))), "comment 3: wp:comment_approved 'maybe' is not 1, 0, spam or trash", "<wp:comment>" },
        { "no-meta-key", WxrFiles.Wxr(WxrFiles.Item(12, "M", "m", "<wp:postmeta><wp:meta_value>x</wp:meta_value></wp:postmeta>")), "a wp:postmeta has no wp:meta_key", "<wp:postmeta>" },
        { "long-slug", WxrFiles.Wxr(WxrFiles.Item(12, "L", new string('a', 201))), "wp:post_name is longer than 200 characters", "<wp:post_name>" },
        // XML safety: a document type declaration (the door to XXE and entity expansion) is refused outright.
        // XmlReader reports no line for it, so none is asserted.
        { "doctype", "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<rss><channel/></rss>", "not well-formed XML: a document type declaration (<!DOCTYPE …>) is not allowed", null },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task ImportWxr_BadFile_FailsWithPositionAndChangesNothing(string name, string content, string problem, string? marker)
    {
        var path = _harness.Write(name + ".xml", content);
        var before = await _harness.SnapshotAsync();

        var r = await CliRunner.RunAsync(_harness.Store, "import", "wxr", path, "--site", "news");

        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Out);
        var line = Assert.Single(r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var match = ErrorLine().Match(line);
        Assert.True(match.Success, line);
        Assert.Equal(name + ".xml", match.Groups["file"].Value);
        Assert.Contains(problem, match.Groups["problem"].Value, StringComparison.Ordinal);
        if (marker is not null) Assert.Equal(LineOf(content, marker), int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(before, await _harness.SnapshotAsync());
        Assert.Empty(Directory.GetFiles(_harness.Store.DataDirectory, "*.staging.db*"));
    }

    [Fact]
    public async Task ImportWxr_MissingFileOrSite_FailsWithNotFound()
    {
        var before = await _harness.SnapshotAsync();

        var noFile = await CliRunner.RunAsync(_harness.Store, "import", "wxr", Path.Combine(_harness.Files, "absent.xml"), "--site", "news");
        var noSite = await CliRunner.RunAsync(_harness.Store, "import", "wxr", _harness.Write("ok.xml", Valid), "--site", "nowhere");

        Assert.Equal((3, $"error: no file '{Path.Combine(_harness.Files, "absent.xml")}'"), (noFile.ExitCode, noFile.Error.Trim()));
        Assert.Equal(3, noSite.ExitCode);
        Assert.Contains("no site 'nowhere'", noSite.Error, StringComparison.Ordinal);
        Assert.Equal(before, await _harness.SnapshotAsync());
    }

    private static int LineOf(string content, string marker)
    {
        var index = content.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(index >= 0, marker);
        return content[..index].Count(c => c == '\n') + 1;
    }

    [GeneratedRegex(@"^error: (?<file>[^:]+):(?<line>\d+):(?<column>\d+): (?<problem>.+)$")]
    private static partial Regex ErrorLine();
}
