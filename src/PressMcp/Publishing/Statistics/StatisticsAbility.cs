using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Publishing.Statistics;

/// <summary>
/// <c>stats/views</c>: a site's (or one post's) views by day, week (from Monday), month or year, up to 365
/// periods ending with today in the site's time zone, with the site's visitors (distinct per day,
/// <see cref="VisitorTally"/>), plus over the same span the most viewed published posts, the hosts that linked
/// here most and the loads by device class. Contributors and up, as WordPress.com's table says.
/// </summary>
internal sealed class StatisticsAbility(PressDbContext db, TimeProvider clock) : Ability<StatisticsInput, StatisticsResult>, IAbilityDefinition
{
    public const string Name = "stats/views";

    public static AbilityInfo Info { get; } = new(Name, "Site statistics", "Views and visitors of the site (or views of one post) by day, week, month or year, with the most viewed posts, the sites that linked here and the device classes.", "stats",
        AbilityAnnotations.Read, ["stats:read"], Caps.EditPosts, SiteScoped: true, StatisticsJson.Default.StatisticsInput, StatisticsJson.Default.StatisticsResult);

    protected override async Task<Outcome<StatisticsResult>> ExecuteAsync(StatisticsInput input, AbilityCall call, CancellationToken ct)
    {
        var site = call.Site!;
        var period = input.Period;
        var num = input.Num;
        var top = input.TopPosts;
        var postId = input.PostId;

        var today = SiteTime.DayOf(site, clock.GetUtcNow().UtcDateTime);
        var starts = Enumerable.Range(0, num).Select(i => Start(period, today, -(num - 1 - i))).ToList();
        var first = starts[0];

        List<(DateOnly Day, long Views, long Visitors)> days;
        if (postId is { } post)
        {
            var facts = await db.Posts.AsNoTracking().Where(x => x.SiteId == site.Id && x.Id == post && (x.Type == PostTypes.Post || x.Type == PostTypes.Page)).Select(x => new { x.Type, x.Status, x.AuthorId }).FirstOrDefaultAsync(ct);
            if (facts is null) return Problem.NotFound($"no post {post} on this site");
            if (!Permissions.Can(call.Actor!, Caps.ReadPost, new PostFacts(facts.Type, facts.Status, facts.AuthorId)))
                return Problem.Forbidden($"your role may not read post {post}");
            // Visitors are counted per site, not per post.
            days = (await db.PostDailyViews.AsNoTracking().Where(v => v.SiteId == site.Id && v.PostId == post && v.Day >= first)
                .Select(v => new { v.Day, v.Views }).ToListAsync(ct)).Select(v => (v.Day, v.Views, 0L)).ToList();
        }
        else
        {
            days = (await db.SiteDailyViews.AsNoTracking().Where(v => v.SiteId == site.Id && v.Day >= first)
                .Select(v => new { v.Day, v.Views, v.Visitors }).ToListAsync(ct)).Select(v => (v.Day, v.Views, v.Visitors)).ToList();
        }
        var views = starts.Select((start, i) =>
        {
            var end = i + 1 < starts.Count ? starts[i + 1] : today.AddDays(1);
            var inPeriod = days.Where(d => d.Day >= start && d.Day < end).ToList();
            return new PeriodViews(start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), inPeriod.Sum(d => d.Views)) { Visitors = postId is null ? inPeriod.Sum(d => d.Visitors) : null };
        }).ToList();

        var topPosts = new List<TopPost>();
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
            topPosts.AddRange(ranked.Where(r => titles.ContainsKey(r.PostId)).Take(top).Select(r => new TopPost(r.PostId, titles[r.PostId], r.Views)));
        }
        var referrers = new List<Referrer>();
        var devices = new List<DeviceViews>();
        if (postId is null)
        {
            if (input.TopReferrers > 0)
                referrers.AddRange((await (from r in db.SiteDailyReferrers
                                           where r.SiteId == site.Id && r.Day >= first
                                           group r by r.Host into g
                                           select new { Host = g.Key, Views = g.Sum(x => x.Views) })
                                          .OrderByDescending(x => x.Views).ThenBy(x => x.Host).Take(input.TopReferrers).ToListAsync(ct))
                    .Select(r => new Referrer(r.Host, r.Views)));
            var byDevice = await (from d in db.SiteDailyDevices
                                  where d.SiteId == site.Id && d.Day >= first
                                  group d by d.Device into g
                                  select new { Device = g.Key, Views = g.Sum(x => x.Views) }).ToDictionaryAsync(x => x.Device, x => x.Views, ct);
            devices.AddRange(DeviceClasses.All.Select(d => new DeviceViews(d, byDevice.GetValueOrDefault(d))));
        }
        return new StatisticsResult(period, views, views.Sum(v => v.Views), topPosts)
        {
            Visitors = postId is null ? views.Sum(v => v.Visitors ?? 0) : null,
            Referrers = referrers,
            Devices = devices,
        };
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

internal sealed record StatisticsInput
{
    [AllowedValues("day", "week", "month", "year"), Description("Default day")]
    public string Period { get; set; } = "day";

    [Range(1, 365), Description("How many periods, ending with the current one (default 30)")]
    public int Num { get; set; } = 30;

    [Range(1, long.MaxValue), Description("One post or page instead of the whole site")]
    public long? PostId { get; init; }

    [Range(0, 100), Description("How many most-viewed posts to list (default 10)")]
    public int TopPosts { get; set; } = 10;

    [Range(0, 100), Description("How many of the sites that linked here most to list, by host name (default 10)")]
    public int TopReferrers { get; set; } = 10;
}

internal sealed record StatisticsResult(string Period, IReadOnlyList<PeriodViews> Views, long Total, IReadOnlyList<TopPost> TopPosts)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("Distinct visitors: each day's counted once, summed over the span; absent for one post")]
    public long? Visitors { get; init; }

    [Description("Hosts of the pages that linked to this site, most views first (empty for one post)")]
    public IReadOnlyList<Referrer> Referrers { get; init; } = [];

    [Description("Page loads by the class of the client's User-Agent: desktop, mobile, tablet, and bot (robots, which are not counted as views); empty for one post")]
    public IReadOnlyList<DeviceViews> Devices { get; init; } = [];
}

internal sealed record PeriodViews(string Start, long Views)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("Distinct visitors of the site, each day's counted once; absent for one post")]
    public long? Visitors { get; init; }
}

internal sealed record Referrer(string Host, long Views);

internal sealed record DeviceViews([property: AllowedValues(DeviceClasses.Desktop, DeviceClasses.Mobile, DeviceClasses.Tablet, DeviceClasses.Bot)] string Device, long Views);

internal sealed record TopPost(long Id, string Title, long Views);

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(StatisticsInput))]
[JsonSerializable(typeof(StatisticsResult))]
internal sealed partial class StatisticsJson : JsonSerializerContext;
