using System.Xml.Linq;

namespace PressMcp.Tests.Import;

/// <summary>The import and export commands' own output, through the real entry point.</summary>
[Trait(Category.Name, Category.Integration)]
[Trait(Category.Name, Category.Storage)]
public sealed class WxrCommandTests : IAsyncLifetime
{
    private ImportHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await ImportHarness.CreateAsync();
        await _harness.CreateSiteAsync("news");
    }

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task ImportWxr_ThemeUnitTestData_PrintsWhatItDidPerKind()
    {
        var expected = new WxrExpectations(WxrFiles.ThemeUnitTestData);
        var channel = XDocument.Load(WxrFiles.ThemeUnitTestData).Root!.Element("channel")!;
        var menuItems = channel.Elements("item").Count(i => expected.Value(i, "post_type") == "nav_menu_item");
        var menus = channel.Elements(expected.Wp + "term").Count(t => expected.Value(t, "term_taxonomy") == "nav_menu");

        var first = await CliRunner.RunAsync(_harness.Store, "import", "wxr", WxrFiles.ThemeUnitTestData, "--site", "news");
        var second = await CliRunner.RunAsync(_harness.Store, "import", "wxr", WxrFiles.ThemeUnitTestData, "--site", "news");

        Assert.Equal((0, ""), (first.ExitCode, first.Error));
        var lines = first.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("imported themeunittestdata.wordpress.xml (WXR 1.2) into news", lines[0]);
        Assert.Matches(@"^KIND\s+CREATED\s+UPDATED\s+SKIPPED$", lines[1]);
        Assert.Matches($@"(?m)^posts\s+{expected.Count("post")}\s+0\s+0$", first.Out);
        Assert.Matches($@"(?m)^pages\s+{expected.Count("page")}\s+0\s+0$", first.Out);
        Assert.Matches($@"(?m)^attachments\s+{expected.Count("attachment")}\s+0\s+0$", first.Out);
        Assert.Matches($@"(?m)^comments\s+{expected.Comments}\s+0\s+0$", first.Out);
        Assert.Matches($@"(?m)^meta\s+{expected.Meta}\s+0\s+0$", first.Out);
        Assert.Matches($@"(?m)^authors\s+{expected.Authors.Count}\s+0\s+0$", first.Out);
        Assert.Matches($@"(?m)^categories\s+{expected.Categories.Count}\s+0\s+0$", first.Out);
        Assert.Matches($@"(?m)^tags\s+{expected.Tags.Count}\s+0\s+0$", first.Out);
        Assert.Contains($"not imported: {menuItems} nav_menu_item items, {menus} nav_menu terms", first.Out, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^database write lock held for \d+ ms in \d+ transactions, at most \d+ ms at a time$", first.Out);
        Assert.Matches($@"(?m)^posts\s+0\s+0\s+{expected.Count("post")}$", second.Out);
    }

    [Fact]
    public async Task Help_ListsImportAndExport()
    {
        var root = await CliRunner.RunRawAsync("--help");
        var import = await CliRunner.RunRawAsync("import", "wxr", "--help");
        var export = await CliRunner.RunRawAsync("export", "wxr", "--help");

        Assert.Contains("import", root.Out, StringComparison.Ordinal);
        Assert.Contains("export", root.Out, StringComparison.Ordinal);
        Assert.Contains("--site", import.Out, StringComparison.Ordinal);
        Assert.Contains("FILE", import.Out, StringComparison.Ordinal);
        Assert.Contains("WXR 1.2", export.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportWxr_UnwritablePath_FailsWithoutLeavingAFile()
    {
        var target = Path.Combine(_harness.Files, "missing-folder", "out.xml");

        var r = await CliRunner.RunAsync(_harness.Store, "export", "wxr", "--site", "news", target);

        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"error: cannot write '{target}'", r.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
    }
}
