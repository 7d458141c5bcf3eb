using System.Text;
using PressMcp.Content;
using PressMcp.Import;
using PressMcp.Sites;

namespace PressMcp.Tests.Import;

/// <summary>The reader and writer on their own, in memory: what one writes, the other reads back.</summary>
[Trait(Category.Name, Category.Unit)]
public sealed class WxrReaderWriterTests
{
    private static List<WxrRecord> Read(string xml, string zone = "UTC", int maxContentLength = ContentLimits.DefaultMaxContentLength)
    {
        using var reader = new WxrReader(new MemoryStream(Encoding.UTF8.GetBytes(xml)), SiteTime.ZoneOf(zone), maxContentLength);
        return reader.Records().ToList();
    }

    [Fact]
    public void Read_HugeCdataSection_AllocatesForTheBoundNotForTheText()
    {
        // A 30 MB post with a bound of 1,024 characters: XmlReader alone would build the whole section (60 MB of UTF-16
        // and more while it grows); cut before it, reading allocates a few buffers. Reading is on this thread, so the
        // thread's allocation counter sees all of it.
        var bytes = Encoding.UTF8.GetBytes(WxrFiles.Wxr(WxrFiles.Item(1, "Huge", "huge").Replace("Body of Huge", new string('x', 30_000_000), StringComparison.Ordinal)));
        var before = GC.GetAllocatedBytesForCurrentThread();

        using (var reader = new WxrReader(new MemoryStream(bytes), TimeZoneInfo.Utc, 1024))
            Assert.IsType<WxrWarning>(Assert.Single(reader.Records(), r => r is not WxrHeader));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 8_000_000, $"reading allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Read_CdataFarLongerThanTheBound_IsCutBeforeTheParserAndItsItemSkippedWithTheRightLines()
    {
        // 1,024 characters allowed; a section of 40,000 bytes (multi-byte text, line breaks, stray "]" and "]]" inside) is cut
        // after 3,075 bytes before XmlReader sees it. What follows must read exactly as in the file, lines included.
        var huge = string.Concat(Enumerable.Repeat("καλημέρα ] x ]] y > z\n", 1_200));
        var item = WxrFiles.Item(1, "Huge", "huge").Replace("Body of Huge", huge, StringComparison.Ordinal).Replace("<item>", "<item marker=\"huge\">", StringComparison.Ordinal);
        var xml = WxrFiles.Wxr("<!-- a comment that mentions <![CDATA[ without opening one -->\n" + item + WxrFiles.Item(2, "After", "after")
            + WxrFiles.Item(3, "Also huge", "also-huge").Replace("Body of Also huge", huge, StringComparison.Ordinal).Replace("<item>", "<item marker=\"second\">", StringComparison.Ordinal));
        int LineOf(string marker) => xml[..xml.IndexOf(marker, StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        var records = Read(xml, maxContentLength: 1024);

        var warnings = records.OfType<WxrWarning>().ToList();
        Assert.Equal([LineOf("<item marker=\"huge\">"), LineOf("<item marker=\"second\">")], warnings.Select(w => w.At.Line));
        Assert.All(warnings, w => Assert.Contains("its content:encoded is longer than the content bound of 1,024 characters", w.Message, StringComparison.Ordinal));
        var after = Assert.Single(records.OfType<WxrItem>());
        Assert.Equal(("After", "Body of After", "after"), (after.Title, after.Content, after.Slug));
    }

    [Theory]
    [InlineData("http://wordpress.org/export/1.2/", "1.2")]
    [InlineData("https://wordpress.org/export/1.2/", "1.2")]
    [InlineData("http://wordpress.org/export/1.1/", "1.1")]
    [InlineData("http://wordpress.org/export/1.0/", "1.0")]
    public void Read_WordPressNamespace_IsAcceptedAndTheVersionIsWxrVersion(string ns, string version)
    {
        var records = Read(WxrFiles.Wxr(WxrFiles.Item(1, "A", "a")).Replace("http://wordpress.org/export/1.2/", ns, StringComparison.Ordinal)
            .Replace("<wp:wxr_version>1.2</wp:wxr_version>", $"<wp:wxr_version>{version}</wp:wxr_version>", StringComparison.Ordinal));

        Assert.Equal(new WxrHeader(version), records[0]);
        Assert.Equal("Body of A", Assert.IsType<WxrItem>(records[1]).Content);
    }

    [Fact]
    public void Read_UnknownExportNamespace_IsNotAWordPressExport()
    {
        var ex = Assert.Throws<WxrFormatException>(() => Read(WxrFiles.Wxr("").Replace("export/1.2/", "export/2.0/", StringComparison.Ordinal)));
        Assert.Contains("does not declare the WordPress export namespace", ex.Message, StringComparison.Ordinal);
        Assert.Equal(new SourcePosition(2, 2), ex.At);
    }

    [Fact]
    public void Read_PercentEncodedSlugs_AreDecoded()
    {
        var item = Assert.IsType<WxrItem>(Read(WxrFiles.Wxr(WxrFiles.Item(1, "Ελληνικά", "%ce%b5%ce%bb%ce%bb%ce%b7%ce%bd%ce%b9%ce%ba%ce%ac")))[1]);

        Assert.Equal("ελληνικά", item.Slug);
    }

    [Fact]
    public async Task WriteThenRead_CdataTerminatorAndControlCharacters_RoundTrip()
    {
        const string Tricky = "code]]>more]]]]>end 🎉 \u0001\u0008tab\tand\nline";
        var site = new Site { Slug = "s", Title = "S", TimeZone = "UTC" };
        var post = new Post { SiteId = 1, Id = 42, Title = "T]]>", Content = Tricky, Excerpt = "]]>", Slug = "t", DateUtc = new DateTime(2024, 3, 4, 5, 6, 7, DateTimeKind.Utc), ModifiedUtc = new DateTime(2024, 3, 4, 5, 6, 7, DateTimeKind.Utc), Format = "aside" };
        var comment = new Comment { SiteId = 1, Id = 3, PostId = 42, Content = "a]]>b", Status = CommentStatuses.Spam, DateUtc = post.DateUtc };
        var output = new MemoryStream();
        await using (var wxr = new WxrWriter(output))
        {
            await wxr.StartChannelAsync("S", "https://s.example", "", "en-US", "https://example", DateTime.UnixEpoch);
            var parts = new ExportItemParts(Array.Empty<PostMeta>().ToLookup(m => m.PostId), Array.Empty<long>().ToLookup(t => t), [], new[] { comment }.ToLookup(c => c.PostId));
            await new ExportItemWriter(wxr, site, "https://s.example", [], []).WriteAsync(post, parts);
            await wxr.EndChannelAsync();
        }
        var xml = Encoding.UTF8.GetString(output.ToArray());
        Assert.Contains("<![CDATA[code]]]]><![CDATA[>more]]]]]]><![CDATA[>end", xml, StringComparison.Ordinal);

        var item = Assert.IsType<WxrItem>(Read(xml)[1]);

        Assert.Equal("code]]>more]]]]>end 🎉 tab\tand\nline", item.Content);
        Assert.Equal(("T]]>", "]]>", "aside", 42L), (item.Title, item.Excerpt, item.Format, item.SourceId));
        Assert.Equal(post.DateUtc, item.DateUtc);
        var read = Assert.Single(item.Comments);
        Assert.Equal(("a]]>b", CommentStatuses.Spam), (read.Content, read.Status));
    }
}
