using System.Net;
using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Publishing;
using PressMcp.Sites;

namespace PressMcp.Tests.Publishing;

/// <summary>Scheduled posts are published by the server when their time comes; on SQLite and on PostgreSQL.</summary>
[Trait(Category.Name, Category.Integration)]
[Trait(Category.Name, Category.Storage)]
public sealed class ScheduledPublishingTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Start);
    private TestServer _server = null!;
    private PublicSiteSeed _seed = null!;
    private HttpClient _client = null!;
    private Site _site = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync(configureHost: _clock.Serving(new PublishingOptions { ScheduleInterval = TimeSpan.FromMilliseconds(100) }));
        _seed = new PublicSiteSeed(_server.Services);
        _client = _server.CreateClient();
        await _seed.UserAsync("writer");
        _site = await _seed.SiteAsync("later", "writer");
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private Task<string> StatusOfAsync(long id) =>
        _seed.DbAsync(db => db.Posts.Where(p => p.SiteId == _site.Id && p.Id == id).Select(p => p.Status).SingleAsync());

    /// <summary>Waits (real time, bounded) until the publisher's timer has published post <paramref name="id"/>.</summary>
    private async Task WaitUntilPublishedAsync(long id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await StatusOfAsync(id) != PostStatuses.Publish)
        {
            Assert.True(DateTime.UtcNow < deadline, $"post {id} was not published by the scheduler within 15 s");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task FuturePost_BecomesVisibleAfterItsTime_NotBefore()
    {
        var post = await _seed.PostAsync(_site, new NewPost { Title = "Launch", Status = PostStatuses.Publish, DateUtc = Start.AddHours(1).UtcDateTime });
        Assert.Equal(PostStatuses.Future, post.Status);
        // A post due earlier: once the publisher has published it, it has also looked at "Launch" with the clock before its time.
        var earlier = await _seed.PostAsync(_site, new NewPost { Title = "Teaser", Status = PostStatuses.Future, DateUtc = Start.AddMinutes(30).UtcDateTime });
        const string path = "/sites/later/2026/03/01/launch/";

        _clock.Now = Start.AddMinutes(31);
        await WaitUntilPublishedAsync(earlier.Id);
        // The publisher ran with the clock before the post's time: still scheduled, still hidden.
        Assert.Equal(HttpStatusCode.NotFound, (await PublicPages.GetAsync(_client, path)).Status);
        Assert.Equal(["Teaser"], (await PublicPages.GetAsync(_client, "/sites/later/")).Titles());
        Assert.Equal(PostStatuses.Future, await StatusOfAsync(post.Id));

        _clock.Now = Start.AddHours(1).AddSeconds(1);
        await WaitUntilPublishedAsync(post.Id);
        Assert.Equal(HttpStatusCode.OK, (await PublicPages.GetAsync(_client, path)).Status);
        Assert.Equal(["Launch", "Teaser"], (await PublicPages.GetAsync(_client, "/sites/later/")).Titles());
    }

    [Fact]
    public async Task PublishDue_TouchesOnlyDueScheduledPosts()
    {
        var due = await _seed.PostAsync(_site, new NewPost { Title = "Due", Status = PostStatuses.Future, DateUtc = Start.AddMinutes(30).UtcDateTime });
        var later = await _seed.PostAsync(_site, new NewPost { Title = "Later", Status = PostStatuses.Future, DateUtc = Start.AddDays(2).UtcDateTime });
        var draft = await _seed.PostAsync(_site, new NewPost { Title = "Draft", Status = PostStatuses.Draft, DateUtc = Start.AddMinutes(-30).UtcDateTime });
        var otherSite = await _seed.SiteAsync("elsewhere", "writer");
        var elsewhere = await _seed.PostAsync(otherSite, new NewPost { Title = "Elsewhere", Status = PostStatuses.Future, DateUtc = Start.AddMinutes(10).UtcDateTime });

        _clock.Now = Start.AddHours(1);
        // Two publishers at once (two instances): each due post is published exactly once in total.
        var publisher = _server.Services.GetRequiredService<ScheduledPublisher>();
        var counts = await Task.WhenAll(publisher.PublishDueAsync(), publisher.PublishDueAsync(), publisher.PublishDueAsync());
        Assert.True(counts.Sum() <= 2, $"published {counts.Sum()} times");

        Assert.Equal(PostStatuses.Publish, await StatusOfAsync(due.Id));
        Assert.Equal(PostStatuses.Future, await StatusOfAsync(later.Id));
        Assert.Equal(PostStatuses.Draft, await StatusOfAsync(draft.Id));
        Assert.Equal(PostStatuses.Publish, await _seed.DbAsync(db => db.Posts.Where(p => p.SiteId == otherSite.Id && p.Id == elsewhere.Id).Select(p => p.Status).SingleAsync()));
        Assert.Equal(0, await publisher.PublishDueAsync());
    }
}
