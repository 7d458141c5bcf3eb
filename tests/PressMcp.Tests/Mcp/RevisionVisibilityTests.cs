using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Import;
using PressMcp.Storage;

namespace PressMcp.Tests.Mcp;

/// <summary>
/// Revisions are posts of type revision: they must never appear in search (MCP or public), on public pages, in
/// statistics, in posts/get or in a WordPress export.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class RevisionVisibilityTests : IAsyncLifetime
{
    private AuthoringHarness _h = null!;
    private string _token = "";
    private long _postId, _revisionId, _pageRevisionId;

    public async ValueTask InitializeAsync()
    {
        _h = await AuthoringHarness.StartAsync();
        _token = await _h.ConnectAsync();
        await _h.EnableWritesAsync();
        var post = await _h.SucceedAsync(_token, "garden", "posts.create", new { title = "Zucchini notes", content = "All about zucchini.", status = "publish" });
        _postId = post.GetProperty("id").GetInt64();
        _revisionId = (await _h.SucceedAsync(_token, "garden", "posts.update", new { post_id = _postId, title = "Squash notes", content = "All about squash." }))
            .GetProperty("revision_id").GetInt64();
        var page = await _h.SucceedAsync(_token, "garden", "pages.create", new { title = "Kohlrabi", status = "publish" });
        _pageRevisionId = (await _h.SucceedAsync(_token, "garden", "pages.update", new { post_id = page.GetProperty("id").GetInt64(), title = "Cabbages" }))
            .GetProperty("revision_id").GetInt64();
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Revisions_AreNotFoundBySearch()
    {
        var old = await _h.ToolAsync(_token, "wpcom-mcp-posts-search", new { wpcom_site = "garden", search = "zucchini" });
        Assert.Equal(0, old.GetProperty("structuredContent").GetProperty("found").GetInt64());
        var all = await _h.ToolAsync(_token, "wpcom-mcp-posts-search", new { wpcom_site = "garden" });
        Assert.Equal([_postId], all.GetProperty("structuredContent").GetProperty("posts").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()));
        var pages = await _h.ToolAsync(_token, "wpcom-mcp-posts-search", new { wpcom_site = "garden", type = "page", search = "kohlrabi" });
        Assert.Equal(0, pages.GetProperty("structuredContent").GetProperty("found").GetInt64());

        var publicSearch = await (await _h.S.Anonymous().GetAsync("/sites/garden/?s=zucchini")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("Zucchini notes", publicSearch, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revisions_AreNotPublicPages_NorReadableByPostGetOrStatistics()
    {
        var home = await (await _h.S.Anonymous().GetAsync("/sites/garden/")).Content.ReadAsStringAsync();
        Assert.Contains("Squash notes", home, StringComparison.Ordinal);
        Assert.DoesNotContain("Zucchini", home, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _h.S.Anonymous().GetAsync($"/sites/garden/?p={_revisionId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _h.S.Anonymous().GetAsync($"/sites/garden/{_postId}-revision-v1/")).StatusCode);
        // A published page keeps its address when its title changes (WordPress keeps the slug); the page tree ignores revisions.
        Assert.Contains("Cabbages", await (await _h.S.Anonymous().GetAsync("/sites/garden/kohlrabi/")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var get = await _h.ToolAsync(_token, "wpcom-mcp-post-get", new { wpcom_site = "garden", post_id = _revisionId });
        Assert.Contains("no such post", AuthoringHarness.Message(get), StringComparison.Ordinal);
        var stats = await _h.ToolAsync(_token, "wpcom-mcp-site-statistics", new { wpcom_site = "garden", post_id = _pageRevisionId });
        Assert.Contains($"no post {_pageRevisionId}", AuthoringHarness.Message(stats), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revisions_AreNotExported()
    {
        await using var scope = _h.S.Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var garden = await db.Sites.SingleAsync(s => s.Slug == "garden");
        Assert.Equal(2, await db.Posts.CountAsync(p => p.SiteId == garden.Id && p.Type == PostTypes.Revision));
        using var output = new MemoryStream();
        var summary = await scope.ServiceProvider.GetRequiredService<WxrExporter>().ExportAsync(garden, output);
        var xml = Encoding.UTF8.GetString(output.ToArray());
        Assert.Equal(2, summary.Items);
        Assert.DoesNotContain("revision", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("Zucchini", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("Kohlrabi", xml, StringComparison.Ordinal);
        Assert.Contains("Squash notes", xml, StringComparison.Ordinal);
    }
}
