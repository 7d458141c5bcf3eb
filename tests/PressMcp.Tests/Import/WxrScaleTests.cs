using System.Text;
using PressMcp.Import;

namespace PressMcp.Tests.Import;

/// <summary>How the import's time grows with what one post holds: linearly, not with the square.</summary>
[Trait(Category.Name, Category.Integration)]
[Trait(Category.Name, Category.Storage)]
public sealed class WxrScaleTests : IAsyncLifetime
{
    private ImportHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await ImportHarness.CreateAsync();

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    /// <summary>One post with <paramref name="count"/> comments, every third a reply to the one before it.</summary>
    internal static string OnePostWithComments(int count)
    {
        var comments = new StringBuilder();
        for (var i = 1; i <= count; i++)
            comments.Append(WxrReimportTests.Comment(i, i % 3 == 0 ? i - 1 : 0, "1", $"Comment {i}"));
        return WxrFiles.Wxr(WxrFiles.Alice + WxrFiles.Item(1, "Busy", "busy", comments.ToString()));
    }

    [Fact]
    public async Task Import_ManyCommentsOnOnePost_WriteTimeGrowsLinearly()
    {
        // Four times the comments must take about four times as long to write, not sixteen (before the fix: 2,000 comments
        // 0.6 s, 8,000 comments 10 s). The minimum of two runs each, and a threshold of 8, absorb a shared machine's noise.
        const int Small = 2_000, Large = 4 * Small;
        var small = _harness.Write("small.xml", OnePostWithComments(Small));
        var large = _harness.Write("large.xml", OnePostWithComments(Large));
        var times = new Dictionary<string, TimeSpan> { [small] = TimeSpan.MaxValue, [large] = TimeSpan.MaxValue };
        var run = 0;
        foreach (var file in new[] { small, large, small, large })
        {
            var site = await _harness.CreateSiteAsync($"s{++run}");
            var report = await _harness.ImportAsync(site, file);
            Assert.Equal(file == small ? Small : Large, report.Counts[ImportKind.Comments].Created);
            times[file] = TimeSpan.FromTicks(Math.Min(times[file].Ticks, report.WriteLockHeld.Ticks));
        }

        var ratio = times[large] / times[small];
        Assert.True(ratio < 8, $"{Small:N0} comments: {times[small].TotalMilliseconds:F0} ms; {Large:N0}: {times[large].TotalMilliseconds:F0} ms (x{ratio:F1})");
        // And the threads and count came through.
        var (replies, count) = await _harness.WithDbAsync(async db =>
        {
            var post = db.Posts.Single(p => p.SiteId == db.Sites.Single(s => s.Slug == "s4").Id);
            var parents = db.Comments.Where(c => c.SiteId == post.SiteId && c.ParentId != null).Count();
            return await Task.FromResult((parents, post.CommentCount));
        });
        Assert.Equal((Large / 3, (long)Large), (replies, count));
    }
}
