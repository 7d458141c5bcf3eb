using System.Threading.Channels;
using PressMcp.Sites;

namespace PressMcp.Publishing.Statistics;

/// <summary>One counted view: of a site on a day, and of one post or page when <see cref="PostId"/> is set.</summary>
internal readonly record struct ViewHit(long SiteId, long? PostId, DateOnly Day);

/// <summary>
/// Counts page views at almost no cost to the request: a view is a small struct written to an in-memory channel;
/// <see cref="ViewFlusher"/> adds them up and writes them in batches, off the request path. When the channel is
/// full (the database is far behind) views are dropped rather than slowing pages down.
/// </summary>
internal sealed class ViewCounter(TimeProvider clock)
{
    public const int Capacity = 100_000;

    private readonly Channel<ViewHit> _channel = Channel.CreateBounded<ViewHit>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    public ChannelReader<ViewHit> Reader => _channel.Reader;

    /// <summary>
    /// Counts this request as a view of <paramref name="site"/> (and of <paramref name="postId"/>) if it is a person's
    /// GET (<see cref="Visitors"/>) and its response starts with 200. The day is the site's, at the time of the request.
    /// </summary>
    public void CountOnSuccess(HttpContext http, Site site, long? postId)
    {
        if (!Visitors.IsCountable(http.Request)) return;
        var hit = new ViewHit(site.Id, postId, SiteTime.DayOf(site, clock.GetUtcNow().UtcDateTime));
        // Recorded when the status is final and before the client can see the response, so a test (or a reader of
        // the statistics) that has the page also has the view waiting in the channel.
        http.Response.OnStarting(static state =>
        {
            var (counter, response, hit) = ((ViewCounter, HttpResponse, ViewHit))state;
            if (response.StatusCode == StatusCodes.Status200OK) counter._channel.Writer.TryWrite(hit);
            return Task.CompletedTask;
        }, (this, http.Response, hit));
    }
}
