using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Activity;
using PressMcp.Content.Authoring;
using PressMcp.Content.Search;
using PressMcp.Publishing;
using PressMcp.Sites;
using PressMcp.Sites.Pages;
using PressMcp.Storage;

namespace PressMcp.Content.Pages;

/// <summary>
/// <c>/account/sites/{slug}/posts</c> and <c>/pages</c>: WordPress's list of posts (or pages). Status tabs with counts
/// (one GROUP BY), search through the one search service (<see cref="PostSearch"/>, with the person's
/// <see cref="ReadAccess"/>), filters by author, category and tag, pages of <see cref="PerPage"/>, and bulk actions,
/// each item run through its ability by <see cref="PersonCalls"/> and reported on its own.
/// </summary>
internal sealed class ContentListModel(SitePages pages, PressDbContext db, PostSearch search, PostDetails details, SiteUrls urls, PersonCalls calls) : SitePageModel(pages)
{
    public const int PerPage = 20;
    /// <summary>Items one bulk action takes: a page's worth several times over, never unbounded.</summary>
    public const int MaxBulk = 100;

    /// <summary>The status tabs, in WordPress's order; "all" is everything but the trash.</summary>
    public static readonly IReadOnlyList<(string Status, string Label)> Tabs =
    [
        ("all", "All"), (PostStatuses.Publish, "Published"), (PostStatuses.Draft, "Drafts"), (PostStatuses.Pending, "Pending"),
        (PostStatuses.Future, "Scheduled"), (PostStatuses.Private, "Private"), (PostStatuses.Trash, "Trash"),
    ];

    public ContentKind Kind { get; private set; } = ContentKind.Posts;
    public override string Section => Kind.Segment;

    [BindProperty(SupportsGet = true, Name = "s")] public string? Text { get; set; }
    [BindProperty(SupportsGet = true)] public string Status { get; set; } = "all";
    [BindProperty(SupportsGet = true)] public long? Author { get; set; }
    [BindProperty(SupportsGet = true)] public long? Cat { get; set; }
    [BindProperty(SupportsGet = true)] public long? Tag { get; set; }
    [BindProperty(SupportsGet = true, Name = "paged")] public int PageNumber { get; set; } = 1;

    public IReadOnlyDictionary<string, long> Counts { get; private set; } = new Dictionary<string, long>();
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public long Total { get; private set; }
    /// <summary>A search with more matches than search counts exactly (<see cref="PostPage.TotalIsLowerBound"/>): <see cref="Total"/> is "at least".</summary>
    public bool TotalIsLowerBound { get; private set; }
    public int TotalPages { get; private set; } = 1;
    public string? SearchNote { get; private set; }
    public IReadOnlyList<(long Id, string Name)> Authors { get; private set; } = [];
    public IReadOnlyList<(long Id, string Name)> Categories { get; private set; } = [];
    public IReadOnlyList<(long Id, string Name)> TagChoices { get; private set; } = [];
    /// <summary>The bulk actions the person's role allows on this tab.</summary>
    public IReadOnlyList<(string Action, string Label)> BulkActions { get; private set; } = [];

    /// <summary>One row of the list, with what the person may do to it.</summary>
    public sealed record Row(Post Post, string Author, IReadOnlyList<Term> Terms, string? Agent, string? PublicUrl, bool CanEdit, bool CanDelete);

    public async Task<IActionResult> OnGetAsync(string slug, string kind, CancellationToken ct)
    {
        Kind = ContentKind.Of(kind);
        if (await EnterAsync(slug, Kind.EditCapability, ct) is { } refused) return refused;
        if (!Tabs.Any(t => t.Status == Status)) Status = "all";
        PageNumber = Math.Clamp(PageNumber, 1, Paging.MaxPage);
        Text = string.IsNullOrWhiteSpace(Text) ? null : Text.Trim()[..Math.Min(Text.Trim().Length, 200)];

        var reader = ReadAccess.For(Member.Actor);
        Counts = await CountAsync(reader, ct);
        var page = Status == PostStatuses.Trash ? await TrashAsync(ct) : await SearchAsync(reader, ct);
        (Total, TotalIsLowerBound, TotalPages) = (page.Total, page.TotalIsLowerBound, Math.Max(1, page.TotalPages));
        var posts = page.Items;
        Rows = await RowsAsync(posts, ct);
        await ChoicesAsync(ct);
        BulkActions = BulkActionsFor(Status);
        return Page();
    }

    /// <summary>
    /// Counts per status of what the list would show the person: one GROUP BY over status and "is it theirs",
    /// then <see cref="ReadAccess"/>'s rule (any author's, or only their own) per status, so tabs and list agree.
    /// </summary>
    private async Task<Dictionary<string, long>> CountAsync(ReadAccess reader, CancellationToken ct)
    {
        var me = Member.Actor.UserId;
        var groups = await db.Posts.AsNoTracking().Where(p => p.SiteId == Site.Id && p.Type == Kind.Type)
            .GroupBy(p => new { p.Status, Own = p.AuthorId == me })
            .Select(g => new { g.Key.Status, g.Key.Own, Count = g.LongCount() }).ToListAsync(ct);
        var access = reader.ByType[Kind.Type];
        var trashForAnyone = Permissions.Can(Member.Actor, Caps.EditPost, new PostFacts(Kind.Type, PostStatuses.Trash, -1));
        var counts = Tabs.ToDictionary(t => t.Status, _ => 0L);
        foreach (var g in groups)
        {
            var visible = g.Status == PostStatuses.Trash ? trashForAnyone || g.Own : access.AnyAuthor.Contains(g.Status) || (g.Own && access.OwnOnly.Contains(g.Status));
            if (!visible || !counts.ContainsKey(g.Status)) continue;
            counts[g.Status] += g.Count;
            if (g.Status != PostStatuses.Trash) counts["all"] += g.Count;
        }
        return counts;
    }

    private async Task<PostPage> SearchAsync(ReadAccess reader, CancellationToken ct)
    {
        var query = new PostQuery
        {
            Text = Text,
            Types = [Kind.Type],
            Statuses = Status == "all" ? null : [Status],
            AuthorId = Author,
            CategoryId = Kind.IsPost ? Cat : null,
            TagId = Kind.IsPost ? Tag : null,
            OrderBy = Text is null ? PostOrder.Date : PostOrder.Relevance,
            Page = PageNumber,
            PerPage = PerPage,
        };
        var found = await search.SearchAsync(Site.Id, query, reader, ct);
        if (!found.Succeeded)
        {
            SearchNote = found.Problem!.Message;
            return new PostPage([], 0, PageNumber, PerPage);
        }
        return found.Value!;
    }

    /// <summary>
    /// The trash, which search never shows: what the person may edit there (their own, or anyone's with
    /// edit_others_posts), newest change first. The search words do not apply to it, and the page says so.
    /// </summary>
    private async Task<PostPage> TrashAsync(CancellationToken ct)
    {
        if (Text is not null) SearchNote = "Search does not look in the trash; showing everything in it.";
        var me = Member.Actor.UserId;
        var anyone = Permissions.Can(Member.Actor, Caps.EditPost, new PostFacts(Kind.Type, PostStatuses.Trash, -1));
        var query = db.Posts.AsNoTracking().Where(p => p.SiteId == Site.Id && p.Type == Kind.Type && p.Status == PostStatuses.Trash && (anyone || p.AuthorId == me));
        if (Author is { } author) query = query.Where(p => p.AuthorId == author);
        var total = await query.LongCountAsync(ct);
        var posts = await query.OrderByDescending(p => p.ModifiedUtc).ThenByDescending(p => p.Id)
            .Skip((PageNumber - 1) * PerPage).Take(PerPage).ToListAsync(ct);
        return new PostPage(posts, total, PageNumber, PerPage);
    }

    /// <summary>Authors, terms, agent marks and public addresses of one page of posts: a query each, not one per row.</summary>
    private async Task<IReadOnlyList<Row>> RowsAsync(IReadOnlyList<Post> posts, CancellationToken ct)
    {
        if (posts.Count == 0) return [];
        var ids = posts.Select(p => p.Id).ToList();
        // Posts show their categories and tags, read in the same command as the authors (PostDetails.LabelsAsync).
        var labels = Kind.IsPost ? await details.LabelsAsync(Site.Id, posts, ct) : null;
        var authors = labels?.Authors ?? await details.AuthorNamesAsync(posts, ct);
        var terms = labels?.Terms;
        var marks = await db.PostMeta.AsNoTracking().Where(m => m.SiteId == Site.Id && ids.Contains(m.PostId) && m.Key == AgentMarker.MetaKey)
            .Select(m => new { m.PostId, m.Value }).ToListAsync(ct);
        var byPost = marks.GroupBy(m => m.PostId).ToDictionary(g => g.Key, g => g.First().Value);
        var names = await AppNames.OAuthNamesAsync(db, byPost.Values.Distinct().ToList(), ct);
        var links = new PublicLinks(Site, urls.BaseOf(Site));
        var tree = Kind.IsPost ? null : await details.PagesAsync(Site.Id, ct);
        return posts.Select(p => new Row(
            p,
            p.AuthorId is { } a ? authors.GetValueOrDefault(a, "") : "",
            terms?[p.Id].ToList() ?? [],
            ContentKind.AgentText(byPost.GetValueOrDefault(p.Id), names),
            p.Status != PostStatuses.Publish ? null : tree is null ? links.Post(p) : links.Page(tree.PathOf(p.Id)),
            p.Status != PostStatuses.Trash && Permissions.Can(Member.Actor, Caps.EditPost, p.Facts),
            Permissions.Can(Member.Actor, Caps.DeletePost, p.Facts))).ToList();
    }

    /// <summary>The filters' choices: authors of this kind of content, and (posts) the site's categories and tags, bounded.</summary>
    private async Task ChoicesAsync(CancellationToken ct)
    {
        var authorIds = await db.Posts.AsNoTracking().Where(p => p.SiteId == Site.Id && p.Type == Kind.Type && p.AuthorId != null)
            .Select(p => p.AuthorId!.Value).Distinct().Take(200).ToListAsync(ct);
        var names = await db.Users.AsNoTracking().Where(u => authorIds.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName, u.UserName }).ToListAsync(ct);
        Authors = names.Select(u => (u.Id, string.IsNullOrWhiteSpace(u.DisplayName) ? u.UserName ?? "" : u.DisplayName)).OrderBy(a => a.Item2, StringComparer.InvariantCultureIgnoreCase).ToList();
        if (!Kind.IsPost) return;
        var terms = await db.Terms.AsNoTracking().Where(t => t.SiteId == Site.Id && (t.Taxonomy == Taxonomies.Category || t.Taxonomy == Taxonomies.Tag))
            .OrderBy(t => t.Name).Take(1000).Select(t => new { t.Id, t.Name, t.Taxonomy }).ToListAsync(ct);
        Categories = terms.Where(t => t.Taxonomy == Taxonomies.Category).Select(t => (t.Id, t.Name)).ToList();
        TagChoices = terms.Where(t => t.Taxonomy == Taxonomies.Tag).Select(t => (t.Id, t.Name)).ToList();
    }

    private List<(string, string)> BulkActionsFor(string status)
    {
        var actions = new List<(string, string)>();
        var canDelete = Member.Can(Kind.IsPost ? Caps.DeletePosts : Caps.DeletePages);
        if (status == PostStatuses.Trash)
        {
            if (canDelete) actions.AddRange([("restore", "Restore"), ("delete", "Delete permanently")]);
            return actions;
        }
        if (Member.Can(Kind.IsPost ? Caps.PublishPosts : Caps.PublishPages)) actions.Add(("publish", "Publish"));
        if (canDelete) actions.Add(("trash", "Move to trash"));
        return actions;
    }

    /// <summary>A bulk action: each item through its ability on its own; the notice counts what worked and says why the rest did not.</summary>
    public async Task<IActionResult> OnPostBulkAsync(string slug, string kind, [FromForm] string? action, [FromForm(Name = "ids")] List<long>? ids, CancellationToken ct)
    {
        Kind = ContentKind.Of(kind);
        if (await EnterAsync(slug, Kind.EditCapability, ct) is { } refused) return refused;
        var back = ListPath();
        ids = ids?.Distinct().ToList() ?? [];
        if (ids.Count == 0) return Done(back, null, "Choose at least one item for the bulk action.");
        if (ids.Count > MaxBulk) return Done(back, null, $"At most {MaxBulk} items at once.");
        var (ability, verb) = action switch
        {
            "trash" => (Kind.Trash, "Moved {0} to the trash"),
            "restore" => (Kind.Restore, "Restored {0} from the trash"),
            "delete" => (Kind.Delete, "Deleted {0} permanently"),
            "publish" => (Kind.Update, "Published {0}"),
            _ => (null, ""),
        };
        if (ability is null) return Done(back, null, "Choose a bulk action.");
        var failures = new List<string>();
        var done = 0;
        foreach (var id in ids)
        {
            var arguments = new JsonObject { ["post_id"] = id };
            if (action == "publish") arguments["status"] = PostStatuses.Publish;
            var result = await calls.RunAsync(Member.Actor, Site, ability, arguments, $"{Kind.Plural} list: bulk {action}", ct);
            if (!result.Succeeded) failures.Add($"{id}: {result.Message}");
            else if (Unchanged(action!, result) is { } why) failures.Add($"{id}: {why}");
            else done++;
        }
        var notice = done == 0 ? null : string.Format(CultureInfo.InvariantCulture, verb, Count(done)) + ".";
        var error = failures.Count == 0 ? null : $"{Count(failures.Count)} {(failures.Count == 1 ? "was" : "were")} not changed: " + string.Join("; ", failures);
        return Done(back, notice, error);
    }

    /// <summary>
    /// Why a call that succeeded did not do what the action meant: a publication kept as a draft by the publish rule,
    /// or an item already where it was asked to go. Null when it did.
    /// </summary>
    private static string? Unchanged(string action, Invocation result)
    {
        var value = result.Value;
        if (action == "publish" && value.TryGetProperty("status", out var s) && s.GetString() is not (PostStatuses.Publish or PostStatuses.Future))
            return value.TryGetProperty("note", out var n) ? n.GetString() : "it was not published";
        if (action != "delete" && value.TryGetProperty("note", out var note) && note.GetString() is { } text && text.Contains("nothing changed", StringComparison.Ordinal))
            return text;
        return null;
    }

    private string Count(int n) => n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? Kind.Singular : Kind.Plural);

    /// <summary>This list with the current tab, filters and page.</summary>
    public string ListPath(string? status = null, int? page = null, bool filters = true)
    {
        var query = new List<string>();
        void Add(string name, object? value)
        {
            if (value is null) return;
            var text = Convert.ToString(value, CultureInfo.InvariantCulture);
            if (!string.IsNullOrEmpty(text)) query.Add(name + "=" + Uri.EscapeDataString(text));
        }
        var tab = status ?? Status;
        if (tab != "all") Add("status", tab);
        if (filters)
        {
            Add("s", Text);
            Add("author", Author);
            Add("cat", Cat);
            Add("tag", Tag);
        }
        var p = page ?? PageNumber;
        if (p > 1) Add("paged", p);
        return SitePath(Kind.Segment) + (query.Count == 0 ? "" : "?" + string.Join('&', query));
    }

    public string EditorPath(long id) => SitePath($"{Kind.Segment}/{id.ToString(CultureInfo.InvariantCulture)}");

    public string DateLabel(Post post) => post.Status switch
    {
        PostStatuses.Publish => "Published",
        PostStatuses.Future => "Scheduled",
        _ => "Last modified",
    };

    public DateTime DateOf(Post post) => post.Status is PostStatuses.Publish or PostStatuses.Future ? post.DateUtc : post.ModifiedUtc;
}
