using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Activity;
using PressMcp.Content;
using PressMcp.Content.Authoring;
using PressMcp.Content.Pages;
using PressMcp.Publishing;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Sites.Pages;

/// <summary>A post on the dashboard: its status, author and, when an agent wrote or last changed it, the app's name.</summary>
internal sealed record DashboardPost(long Id, string Type, string Title, string Status, string Author, string? AgentApp, SiteDate Modified);

/// <summary>One line of the site's recent activity: who, through which app (or in the browser), what, how it ended, when.</summary>
internal sealed record DashboardActivity(string Who, string App, string What, CallOutcome Outcome, string? Message, SiteDate When);

/// <summary>
/// <c>/account/sites/{slug}</c>: a site's dashboard, for every member; each box for the roles WordPress would show it
/// to: views and posts for those who write (edit_posts), agents' drafts for their authors (everyone's for
/// edit_others_posts), comments awaiting moderation for moderators (moderate_comments), the site's activity log for
/// editors and administrators (edit_others_posts). Every box is one or two bounded queries.
/// </summary>
internal sealed class DashboardModel(SitePages pages, PressDbContext db, ActivityQuery activity, SiteUrls urls, TimeProvider clock) : SitePageModel(pages)
{
    public const int RecentCount = 5;
    public const int ReviewCount = 10;
    public const int ActivityCount = 10;

    public override string Section => "dashboard";

    public bool ShowsWriting => Member.Can(Caps.EditPosts);
    public bool ShowsModeration => Member.Can(Caps.ModerateComments);
    public bool ShowsActivity => Member.Can(Caps.EditOthersPosts);
    public ViewsChart? Views { get; private set; }
    public IReadOnlyList<DashboardPost> RecentPosts { get; private set; } = [];
    public IReadOnlyList<DashboardPost> AgentDrafts { get; private set; } = [];
    public long PendingComments { get; private set; }
    public IReadOnlyList<CommentRow> LatestPending { get; private set; } = [];
    public IReadOnlyList<DashboardActivity> RecentActivity { get; private set; } = [];

    public string EditorPath(long postId) => SitePath("posts/" + postId.ToString(CultureInfo.InvariantCulture));

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, Caps.Read, ct) is { } refused) return refused;
        if (ShowsWriting)
        {
            Views = await ViewsAsync(ct);
            await PostsAsync(ct);
        }
        if (ShowsModeration)
        {
            PendingComments = await db.Comments.LongCountAsync(c => c.SiteId == Site.Id && c.Status == CommentStatuses.Hold, ct);
            var latest = await db.Comments.AsNoTracking().Where(c => c.SiteId == Site.Id && c.Status == CommentStatuses.Hold)
                .OrderByDescending(c => c.DateUtc).ThenByDescending(c => c.Id).Take(RecentCount).ToListAsync(ct);
            LatestPending = await CommentsPageModel.ToRowsAsync(db, urls, Site, latest, ct);
        }
        if (ShowsActivity)
        {
            var entries = await activity.ListAsync(new ActivityFilter(null, null, Site.Id, 1, ActivityCount), ct);
            RecentActivity = [.. entries.Rows.Select(r => new DashboardActivity(r.User, r.Client, r.Tool == r.Ability ? r.Ability : $"{r.Tool} → {r.Ability}",
                r.Outcome, r.Message, PostDetails.DateOf(Site, r.AtUtc, withTime: true)))];
        }
        return Page();
    }

    /// <summary>The last 30 days in the site's time zone, today included, a day without views as 0.</summary>
    private async Task<ViewsChart> ViewsAsync(CancellationToken ct)
    {
        var today = SiteTime.DayOf(Site, clock.GetUtcNow().UtcDateTime);
        var first = today.AddDays(-(ViewsChart.Days - 1));
        var stored = await db.SiteDailyViews.AsNoTracking().Where(v => v.SiteId == Site.Id && v.Day >= first && v.Day <= today)
            .Select(v => new { v.Day, v.Views }).ToDictionaryAsync(v => v.Day, v => v.Views, ct);
        return new ViewsChart([.. Enumerable.Range(0, ViewsChart.Days).Select(i => first.AddDays(i)).Select(d => (d, stored.GetValueOrDefault(d)))]);
    }

    private async Task PostsAsync(CancellationToken ct)
    {
        var me = Member.Actor.UserId;
        var everyone = Member.Can(Caps.EditOthersPosts);
        // What this person may see in wp-admin's lists: everything for editors; otherwise what is published and their own.
        var visible = db.Posts.AsNoTracking().Where(p => p.SiteId == Site.Id && (everyone || p.AuthorId == me || p.Status == PostStatuses.Publish));
        var recent = await Shape(visible.Where(p => p.Type == PostTypes.Post && p.Status != PostStatuses.Trash && p.Status != "auto-draft")
            .OrderByDescending(p => p.ModifiedUtc).ThenByDescending(p => p.Id).Take(RecentCount)).ToListAsync(ct);
        var review = await Shape(visible.Where(p => (p.Type == PostTypes.Post || p.Type == PostTypes.Page)
                && (p.Status == PostStatuses.Draft || p.Status == PostStatuses.Pending)
                && db.PostMeta.Any(m => m.SiteId == p.SiteId && m.PostId == p.Id && m.Key == AgentMarker.MetaKey))
            .OrderByDescending(p => p.ModifiedUtc).ThenByDescending(p => p.Id).Take(ReviewCount)).ToListAsync(ct);

        var all = recent.Concat(review).ToList();
        var ids = all.Select(p => p.Id).Distinct().ToList();
        var marks = await db.PostMeta.AsNoTracking().Where(m => m.SiteId == Site.Id && ids.Contains(m.PostId) && m.Key == AgentMarker.MetaKey)
            .ToDictionaryAsync(m => m.PostId, m => m.Value, ct);
        var apps = await AppNames.OAuthNamesAsync(db, marks.Values.Distinct().ToList(), ct);
        var authors = await UserRows.AuthorNamesAsync(db, all.Where(p => p.AuthorId is not null).Select(p => p.AuthorId!.Value).ToHashSet(), ct);
        DashboardPost Row(Post p) => new(p.Id, p.Type, p.Title.Length > 0 ? p.Title : "(no title)", p.Status,
            p.AuthorId is { } a ? authors.GetValueOrDefault(a, "") : "", marks.TryGetValue(p.Id, out var app) ? AppNames.NameOf(app, apps) : null,
            PostDetails.DateOf(Site, p.ModifiedUtc, withTime: true));
        RecentPosts = [.. recent.Select(Row)];
        AgentDrafts = [.. review.Select(Row)];
    }

    // The columns the boxes show, never the content.
    private static IQueryable<Post> Shape(IQueryable<Post> posts) =>
        posts.Select(p => new Post { SiteId = p.SiteId, Id = p.Id, Type = p.Type, Status = p.Status, Title = p.Title, AuthorId = p.AuthorId, ModifiedUtc = p.ModifiedUtc, DateUtc = p.DateUtc });
}

/// <summary>
/// Daily views as an SVG bar chart the page draws itself (no script): a bar per day in a fixed view box, heights in
/// proportion to the busiest day, a label every week. Presentation attributes only; the page's policy forbids inline style.
/// </summary>
internal sealed class ViewsChart(IReadOnlyList<(DateOnly Day, long Views)> days)
{
    public const int Days = 30;
    public const double Width = 600;
    public const double Height = 200;
    /// <summary>The plot's height: the busiest day's bar; below it, room for the date labels.</summary>
    public const double PlotHeight = 160;
    public const double Slot = Width / Days;
    public const double BarWidth = Slot - 4;

    public IReadOnlyList<(DateOnly Day, long Views)> Values => days;
    public long Max => days.Count == 0 ? 0 : days.Max(d => d.Views);
    public long Total => days.Sum(d => d.Views);

    public IEnumerable<Bar> Bars => days.Select((d, i) =>
    {
        var height = Max == 0 ? 0 : Math.Round(d.Views * PlotHeight / Max, 1);
        // A label a week, counted back from today so today is always labelled and no two labels meet.
        return new Bar(d.Day, d.Views, i * Slot + 2, PlotHeight - height, height, (days.Count - 1 - i) % 7 == 0);
    });

    public string Summary => Max == 0
        ? $"No views in the last {Days} days."
        : string.Create(CultureInfo.InvariantCulture,
            $"{Total:N0} views in the last {Days} days, {(double)Total / days.Count:0.#} a day on average; the busiest day was {Busiest:yyyy-MM-dd} with {Max:N0}.");

    private DateOnly Busiest => days.OrderByDescending(d => d.Views).ThenBy(d => d.Day).First().Day;

    public static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    internal sealed record Bar(DateOnly Day, long Views, double X, double Y, double Height, bool Labelled)
    {
        /// <summary>Where the label's text is anchored: the outermost labels are kept inside the view box.</summary>
        public string Anchor => X < 3 * Slot ? "start" : X > Width - 3 * Slot ? "end" : "middle";

        public double LabelX => Anchor switch { "start" => X, "end" => X + BarWidth, _ => X + BarWidth / 2 };

        public string DayText => Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        public string ShortDay => Day.ToString("MMM d", CultureInfo.InvariantCulture);
    }
}
