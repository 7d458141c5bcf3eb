using System.Threading.Channels;
using PressMcp.Sites;

namespace PressMcp.Publishing.Statistics;

/// <summary>
/// One counted page load: a view of a site on a day (and of one post or page when <see cref="PostId"/> is set) by
/// <see cref="Visitor"/> (<see cref="VisitorTally"/>'s hash), from a device class and, when another site linked to
/// it, that site's host. A robot's load (<see cref="IsView"/> false) counts only in the devices table.
/// </summary>
internal readonly record struct ViewHit(long SiteId, long? PostId, DateOnly Day, string Device, ulong Visitor, string? ReferrerHost, bool IsView = true);

/// <summary>
/// Counts page views at almost no cost to the request: a view is a small struct written to an in-memory channel;
/// <see cref="ViewFlusher"/> adds them up and writes them in batches, off the request path. When the channel is
/// full (the database is far behind) views are dropped rather than slowing pages down.
/// </summary>
internal sealed class ViewCounter(TimeProvider clock, VisitorTally visitors)
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
        var request = http.Request;
        var day = SiteTime.DayOf(site, clock.GetUtcNow().UtcDateTime);
        ViewHit hit;
        if (Visitors.IsCountable(request))
        {
            var agent = request.Headers.UserAgent.ToString();
            hit = new ViewHit(site.Id, postId, day, DeviceClasses.Of(agent),
                visitors.Fingerprint(site.Id, day, http.Connection.RemoteIpAddress, agent), ReferrerHost(request));
        }
        else if (Visitors.IsRobotLoad(request))
        {
            hit = new ViewHit(site.Id, null, day, DeviceClasses.Bot, 0, null, IsView: false);
        }
        else
        {
            return;
        }
        // Recorded when the status is final and before the client can see the response, so a test (or a reader of
        // the statistics) that has the page also has the view waiting in the channel.
        http.Response.OnStarting(static state =>
        {
            var (counter, response, hit) = ((ViewCounter, HttpResponse, ViewHit))state;
            if (response.StatusCode == StatusCodes.Status200OK) counter._channel.Writer.TryWrite(hit);
            return Task.CompletedTask;
        }, (this, http.Response, hit));
    }

    /// <summary>
    /// The host of the page that linked here (the Referer header's host only), lower case; null without one, for a
    /// link from this same host (moving around the site), or for anything but an http(s) address.
    /// </summary>
    internal static string? ReferrerHost(HttpRequest request)
    {
        var referer = request.Headers.Referer.ToString();
        if (referer.Length == 0 || referer.Length > 4096 || !Uri.TryCreate(referer, UriKind.Absolute, out var uri)) return null;
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) return null;
        var host = uri.IdnHost.ToLowerInvariant();
        if (host.Length == 0 || host.Length > SiteDailyReferrers.MaxHostLength) return null;
        return string.Equals(host, request.Host.Host, StringComparison.OrdinalIgnoreCase) ? null : host;
    }
}
