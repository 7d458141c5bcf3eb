using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Publishing.Statistics;

/// <summary>
/// <c>stats/views</c>: a site's (or one post's) views by day, week (from Monday), month or year, up to 365
/// periods ending with today in the site's time zone, plus the most viewed published posts over the same span.
/// Contributors and up, as WordPress.com's table says.
/// </summary>
internal sealed class StatisticsAbility : IAbilitySource
{
    public const string Name = "stats/views";

    private static readonly string Input = $$$$"""
        {"type":"object","additionalProperties":false,"required":["wpcom_site"],"properties":{
          {{{{AbilityInput.SiteProperty}}}},
          "period":{"type":"string","enum":["day","week","month","year"],"description":"Default day"},
          "num":{"type":"integer","minimum":1,"maximum":365,"description":"How many periods, ending with the current one (default 30)"},
          "post_id":{"type":"integer","minimum":1,"description":"One post or page instead of the whole site"},
          "top_posts":{"type":"integer","minimum":0,"maximum":100,"description":"How many most-viewed posts to list (default 10)"}}}
        """;

    private const string Output = """
        {"type":"object","required":["period","views","total","top_posts"],"properties":{
          "period":{"type":"string"},"total":{"type":"integer"},
          "views":{"type":"array","items":{"type":"object","required":["start","views"],"properties":{"start":{"type":"string"},"views":{"type":"integer"}}}},
          "top_posts":{"type":"array","items":{"type":"object","required":["id","title","views"],"properties":{"id":{"type":"integer"},"title":{"type":"string"},"views":{"type":"integer"}}}}}}
        """;

    public IEnumerable<Ability> Abilities() =>
    [
        new Ability(Name, "Site statistics", "Views of the site or of one post by day, week, month or year, with the most viewed posts.", "stats",
            Input, Output, AbilityAnnotations.Read, scopes: ["stats:read"], capability: Caps.EditPosts, siteScoped: true, ExecuteAsync),
    ];

    private static async Task<Outcome<JsonElement>> ExecuteAsync(AbilityCall call, CancellationToken ct)
    {
        var site = call.Site!;
        var input = call.Input;
        var period = input.Text("period") ?? "day";
        var num = (int)(input.Integer("num") ?? 30);
        var top = (int)(input.Integer("top_posts") ?? 10);
        var postId = input.Integer("post_id");
        var db = call.Services.GetRequiredService<PressDbContext>();

        var today = SiteTime.DayOf(site, call.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        var starts = Enumerable.Range(0, num).Select(i => Start(period, today, -(num - 1 - i))).ToList();
        var first = starts[0];

        List<(DateOnly Day, long Views)> days;
        if (postId is { } post)
        {
            var facts = await db.Posts.AsNoTracking().Where(x => x.SiteId == site.Id && x.Id == post && (x.Type == PostTypes.Post || x.Type == PostTypes.Page)).Select(x => new { x.Type, x.Status, x.AuthorId }).FirstOrDefaultAsync(ct);
            if (facts is null) return Problem.NotFound($"no post {post} on this site");
            if (!Permissions.Can(call.Actor!, Caps.ReadPost, new PostFacts(facts.Type, facts.Status, facts.AuthorId)))
                return Problem.Forbidden($"your role may not read post {post}");
            days = (await db.PostDailyViews.AsNoTracking().Where(v => v.SiteId == site.Id && v.PostId == post && v.Day >= first)
                .Select(v => new { v.Day, v.Views }).ToListAsync(ct)).Select(v => (v.Day, v.Views)).ToList();
        }
        else
        {
            days = (await db.SiteDailyViews.AsNoTracking().Where(v => v.SiteId == site.Id && v.Day >= first)
                .Select(v => new { v.Day, v.Views }).ToListAsync(ct)).Select(v => (v.Day, v.Views)).ToList();
        }
        var views = starts.Select((start, i) =>
        {
            var end = i + 1 < starts.Count ? starts[i + 1] : today.AddDays(1);
            return new { start = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), views = days.Where(d => d.Day >= start && d.Day < end).Sum(d => d.Views) };
        }).ToList();

        var topPosts = new List<object>();
        if (postId is null && top > 0)
        {
            var ranked = await (from v in db.PostDailyViews
                                where v.SiteId == site.Id && v.Day >= first
                                group v by v.PostId into g
                                select new { PostId = g.Key, Views = g.Sum(x => x.Views) })
                               .OrderByDescending(x => x.Views).ThenBy(x => x.PostId).Take(top * 2).ToListAsync(ct);
            var ids = ranked.Select(r => r.PostId).ToList();
            var titles = await db.Posts.AsNoTracking().Where(x => x.SiteId == site.Id && ids.Contains(x.Id) && x.Status == PostStatuses.Publish)
                .ToDictionaryAsync(x => x.Id, x => x.Title, ct);
            topPosts.AddRange(ranked.Where(r => titles.ContainsKey(r.PostId)).Take(top).Select(r => new { id = r.PostId, title = titles[r.PostId], views = r.Views }));
        }
        return Outcome<JsonElement>.Ok(JsonSerializer.SerializeToElement(new { period, views, total = views.Sum(v => v.views), top_posts = topPosts }));
    }

    /// <summary>The first day of the period <paramref name="offset"/> periods from the one holding <paramref name="today"/>.</summary>
    private static DateOnly Start(string period, DateOnly today, int offset) => period switch
    {
        "week" => today.AddDays(-(((int)today.DayOfWeek + 6) % 7)).AddDays(7 * offset),
        "month" => new DateOnly(today.Year, today.Month, 1).AddMonths(offset),
        "year" => new DateOnly(today.Year + offset, 1, 1),
        _ => today.AddDays(offset),
    };
}
