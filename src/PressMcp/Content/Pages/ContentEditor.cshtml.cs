using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Activity;
using PressMcp.Content.Abilities;
using PressMcp.Content.Authoring;
using PressMcp.Publishing;
using PressMcp.Sites;
using PressMcp.Sites.Pages;
using PressMcp.Storage;
using PressMcp.Web.Pages;

namespace PressMcp.Content.Pages;

/// <summary>
/// <c>/account/sites/{slug}/posts/new</c>, <c>/posts/{id}</c> and the same for pages: WordPress's editor with the HTML
/// source. Saving runs posts/create or posts/update (pages/…) through <see cref="PersonCalls"/>, so the abilities and
/// the publish rule decide what the role may do, whatever the form offered. Preview renders the unsaved form the way
/// the public site renders an article (the same renderer and the same partial), saving nothing. The revisions are
/// listed with who replaced each version, for compare and restore.
/// </summary>
internal sealed class ContentEditorModel(SitePages pages, PressDbContext db, PersonCalls calls, PostDetails details, SiteUrls urls, RenderedContent rendered, TimeProvider clock) : SitePageModel(pages)
{
    /// <summary>Choices listed at most: image attachments (newest first), categories, parent pages, revisions.</summary>
    public const int MaxChoices = 500;

    public ContentKind Kind { get; private set; } = ContentKind.Posts;
    public override string Section => Kind.Segment;

    /// <summary>The post being edited; null for a new one.</summary>
    public Post? Post { get; private set; }

    [BindProperty] public EditorInput Input { get; set; } = new();

    public string? FormError { get; private set; }
    public Article? Preview { get; private set; }
    public IReadOnlyList<(string Status, string Label)> StatusChoices { get; private set; } = [];
    public bool CanSticky { get; private set; }
    public bool CanCreateCategory { get; private set; }
    public IReadOnlyList<(long Id, string Name)> Categories { get; private set; } = [];
    public IReadOnlyList<(long Id, string Title)> Images { get; private set; } = [];
    public IReadOnlyList<(long Id, string Title)> Parents { get; private set; } = [];
    public IReadOnlyList<RevisionRow> Revisions { get; private set; } = [];
    public string? Agent { get; private set; }
    public string? PublicUrl { get; private set; }

    /// <summary>A revision: the version that was current until <see cref="ReplacedUtc"/>, when <see cref="ReplacedBy"/> changed it.</summary>
    public sealed record RevisionRow(long Id, string Title, DateTime ReplacedUtc, string ReplacedBy);

    public string EditorPath(long id) => SitePath($"{Kind.Segment}/{id.ToString(CultureInfo.InvariantCulture)}");
    public string ComparePath => Post is null ? "" : EditorPath(Post.Id) + "/compare";

    public async Task<IActionResult> OnGetAsync(string slug, string kind, string id, CancellationToken ct)
    {
        if (await OpenAsync(slug, kind, id, ct) is { } refused) return refused;
        Input = Post is null ? EditorInput.ForNew(Site, clock.GetUtcNow().UtcDateTime) : await EditorInput.FromAsync(db, Site, Post, ct);
        await ChoicesAsync(ct);
        return Page();
    }

    /// <summary>Saves through the kind's create or update ability; on a refusal the form comes back as it was sent, with the reason.</summary>
    public async Task<IActionResult> OnPostAsync(string slug, string kind, string id, CancellationToken ct)
    {
        if (await OpenAsync(slug, kind, id, ct) is { } refused) return refused;
        Input.Normalize();
        if (!string.IsNullOrWhiteSpace(Input.NewCategory))
        {
            var created = await calls.RunAsync(Member.Actor, Site, TermAbilities.CreateCategory, new JsonObject { ["name"] = Input.NewCategory.Trim() }, "editor: add category", ct);
            if (!created.Succeeded) return await FormAsync($"The category was not created: {created.Message}", ct);
            Input.CategoryIds.Add(created.Value.GetProperty("id").GetInt64());
            Input.NewCategory = null;
        }
        var arguments = Arguments(out var problem);
        if (problem is not null) return await FormAsync(problem, ct);
        var result = await calls.RunAsync(Member.Actor, Site, Post is null ? Kind.Create : Kind.Update, arguments,
            $"editor: {(Post is null ? "create" : "save")} {Input.Status}", ct);
        if (!result.Succeeded) return await FormAsync($"Not saved: {result.Message}", ct);
        var savedId = result.Value.GetProperty("id").GetInt64();
        var status = result.Value.GetProperty("status").GetString()!;
        var note = result.Value.TryGetProperty("note", out var n) ? " " + Sentence(n.GetString()) : "";
        return Done(EditorPath(savedId), $"{char.ToUpperInvariant(Kind.Singular[0])}{Kind.Singular[1..]} saved ({ContentKind.StatusText(status).ToLowerInvariant()}).{note}");
    }

    /// <summary>The form as the public site would show it, unsaved: nothing is written and no ability runs (it changes nothing).</summary>
    public async Task<IActionResult> OnPostPreviewAsync(string slug, string kind, string id, CancellationToken ct)
    {
        if (await OpenAsync(slug, kind, id, ct) is { } refused) return refused;
        Input.Normalize();
        var links = new PublicLinks(Site, urls.BaseOf(Site));
        var date = ContentKind.FromLocalInput(Site, Input.Date) ?? Post?.DateUtc ?? clock.GetUtcNow().UtcDateTime;
        var authorId = Post?.AuthorId ?? Member.User.Id;
        var author = (await details.AuthorNamesAsync([new Post { AuthorId = authorId }], ct)).GetValueOrDefault(authorId, "");
        var categories = new List<TermLink>();
        var tags = new List<TermLink>();
        if (Kind.IsPost)
        {
            var tree = await details.CategoriesAsync(Site.Id, ct);
            var chosen = await db.Terms.AsNoTracking().Where(t => t.SiteId == Site.Id && t.Taxonomy == Taxonomies.Category && Input.CategoryIds.Contains(t.Id)).OrderBy(t => t.Name).ToListAsync(ct);
            categories.AddRange(chosen.Select(t => links.LinkOf(t, tree)));
            tags.AddRange(Input.TagNames().Select(name => new TermLink(name, links.Tag(Slugs.FromTitle(name)))));
        }
        Preview = new Article(!Kind.IsPost, Input.Title ?? "", Kind.IsPost ? (await PublicSettings.ReadAsync(db, Site.Id, ct)).Date(Site, date) : null, Kind.IsPost ? author : null,
            categories, tags, Protected: false, rendered.Html(Input.Content ?? "", links.Base, ct), []);
        return await FormAsync(null, ct);
    }

    /// <summary>Puts a revision back (posts/restore-revision): an update, so the version it replaces becomes a revision.</summary>
    public async Task<IActionResult> OnPostRestoreRevisionAsync(string slug, string kind, string id, [FromForm] long revisionId, CancellationToken ct)
    {
        if (await OpenAsync(slug, kind, id, ct) is { } refused) return refused;
        if (Post is null) return NotFound();
        var result = await calls.RunAsync(Member.Actor, Site, PostLifecycleAbilities.RestoreRevision,
            new JsonObject { ["revision_id"] = revisionId }, "editor: restore revision", ct);
        if (!result.Succeeded) return Done(EditorPath(Post.Id), null, $"The revision was not restored: {result.Message}");
        var note = result.Value.TryGetProperty("note", out var n) ? n.GetString() : null;
        return Done(EditorPath(Post.Id), note is not null && note.Contains("nothing changed", StringComparison.Ordinal)
            ? Sentence(note)
            : "Revision restored. The version it replaced is kept as a revision.");
    }

    private static string Sentence(string? text) => string.IsNullOrEmpty(text) ? "" : char.ToUpperInvariant(text[0]) + text[1..] + (text.EndsWith('.') ? "" : ".");

    /// <summary>
    /// Resolves the site, the kind and the post: <c>new</c> needs the kind's edit capability; an existing post also
    /// edit_post on it (WordPress's owner rules), refused with 403 and the reason otherwise.
    /// </summary>
    private async Task<IActionResult?> OpenAsync(string slug, string kind, string id, CancellationToken ct)
    {
        Kind = ContentKind.Of(kind);
        if (await EnterAsync(slug, Kind.EditCapability, ct) is { } refused) return refused;
        if (id == "new") return null;
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var postId)) return NotFound();
        Post = await db.Posts.AsNoTracking().FirstOrDefaultAsync(p => p.SiteId == Site.Id && p.Id == postId && p.Type == Kind.Type, ct);
        if (Post is null) return NotFound();
        if (Permissions.MissingCapabilities(Member.Actor, Caps.EditPost, Post.Facts) is { Count: > 0 } missing)
        {
            ErrorModelReason.Set(HttpContext, $"Your role on {Site.Title} ({Member.RoleText}) may not edit this {Kind.Singular}: it needs {string.Join(", ", missing)}.");
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        if (Post.Status == PostStatuses.Trash)
            return Done(SitePath(Kind.Segment) + "?status=trash", null, $"“{Post.Title}” is in the trash; restore it before editing it.");
        return null;
    }

    private async Task<IActionResult> FormAsync(string? error, CancellationToken ct)
    {
        FormError = error;
        await ChoicesAsync(ct);
        return Page();
    }

    /// <summary>The ability's arguments from the form; only what differs for fields an ability guards (sticky, date, featured image, custom fields).</summary>
    private JsonObject Arguments(out string? problem)
    {
        problem = null;
        var a = new JsonObject();
        if (Post is not null) a["post_id"] = Post.Id;
        a["title"] = Input.Title ?? "";
        a["content"] = Input.Content ?? "";
        a["excerpt"] = Input.Excerpt ?? "";
        if (!string.IsNullOrWhiteSpace(Input.Slug)) a["slug"] = Input.Slug.Trim();
        a["status"] = Input.Status;
        a["comment_status"] = Input.CommentsOpen ? OpenClosed.Open : OpenClosed.Closed;
        if (Input.Status == PostStatuses.Future || Input.Date != Input.DateWas)
        {
            var date = ContentKind.FromLocalInput(Site, Input.Date);
            if (date is null)
            {
                problem = Input.Status == PostStatuses.Future ? "Scheduling needs a date and time." : "The date is not a date and time.";
                return a;
            }
            a["date"] = new DateTimeOffset(date.Value, TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }
        if (Kind.IsPost)
        {
            a["categories"] = new JsonArray([.. Input.CategoryIds.Distinct().Select(i => (JsonNode)JsonValue.Create(i))]);
            a["tags"] = new JsonArray([.. Input.TagNames().Select(t => (JsonNode)JsonValue.Create(t))]);
            if (Input.Sticky != (Post?.Sticky ?? false)) a["sticky"] = Input.Sticky;
        }
        else
        {
            a["parent"] = Input.Parent;
            a["menu_order"] = Input.MenuOrder;
        }
        if (Input.FeaturedMedia != Input.FeaturedWas) a["featured_media"] = Input.FeaturedMedia;
        var meta = Input.MetaChanges();
        if (meta.Count > 0) a["meta"] = meta;
        return a;
    }

    /// <summary>What the form offers this person: statuses their role may set, sticky, categories, images, parents, revisions.</summary>
    private async Task ChoicesAsync(CancellationToken ct)
    {
        var facts = Post?.Facts ?? new PostFacts(Kind.Type, PostStatuses.Draft, Member.Actor.UserId);
        var canPublish = Permissions.Can(Member.Actor, Caps.PublishPost, facts);
        var choices = new List<(string, string)> { (PostStatuses.Draft, "Draft"), (PostStatuses.Pending, "Pending review") };
        if (canPublish) choices.AddRange([(PostStatuses.Publish, "Published"), (PostStatuses.Future, "Scheduled (at the date below)"), (PostStatuses.Private, "Private")]);
        StatusChoices = choices;
        CanSticky = Kind.IsPost && (Member.Can(Caps.PublishPosts) || Member.Can(Caps.EditOthersPosts));
        CanCreateCategory = Kind.IsPost && Member.Can(Caps.ManageCategories);
        if (Kind.IsPost)
            Categories = (await db.Terms.AsNoTracking().Where(t => t.SiteId == Site.Id && t.Taxonomy == Taxonomies.Category)
                .OrderBy(t => t.Name).Take(MaxChoices).Select(t => new { t.Id, t.Name }).ToListAsync(ct)).Select(t => (t.Id, t.Name)).ToList();
        else
            Parents = (await db.Posts.AsNoTracking().Where(p => p.SiteId == Site.Id && p.Type == PostTypes.Page && p.Status != PostStatuses.Trash && p.Id != (Post == null ? 0 : Post.Id))
                .OrderBy(p => p.Title).Take(MaxChoices).Select(p => new { p.Id, p.Title }).ToListAsync(ct)).Select(p => (p.Id, p.Title)).ToList();
        var featured = Input.FeaturedMedia;
        Images = (await db.Posts.AsNoTracking().Where(p => p.SiteId == Site.Id && p.Type == PostTypes.Attachment && p.MimeType != null && p.MimeType.StartsWith("image/"))
            .OrderByDescending(p => p.Id == featured).ThenByDescending(p => p.DateUtc).Take(MaxChoices).Select(p => new { p.Id, p.Title }).ToListAsync(ct))
            .Select(p => (p.Id, p.Title)).ToList();
        if (Post is null) return;
        var links = new PublicLinks(Site, urls.BaseOf(Site));
        if (Post.Status == PostStatuses.Publish)
            PublicUrl = Kind.IsPost ? links.Post(Post) : links.Page((await details.PagesAsync(Site.Id, ct)).PathOf(Post.Id));
        var mark = await db.PostMeta.AsNoTracking().Where(m => m.SiteId == Site.Id && m.PostId == Post.Id && m.Key == AgentMarker.MetaKey).Select(m => m.Value).FirstOrDefaultAsync(ct);
        Revisions = await RevisionsAsync(ct);
        if (mark is not null) Agent = ContentKind.AgentText(mark, await AppNames.OAuthNamesAsync(db, [mark], ct));
    }

    /// <summary>The revisions, newest first, each with who replaced it: the person, or the app that acted for them (from the activity log).</summary>
    private async Task<IReadOnlyList<RevisionRow>> RevisionsAsync(CancellationToken ct)
    {
        var revisions = await db.Posts.AsNoTracking().Where(p => p.SiteId == Site.Id && p.ParentId == Post!.Id && p.Type == PostTypes.Revision)
            .OrderByDescending(p => p.DateUtc).ThenByDescending(p => p.Id).Take(MaxChoices).ToListAsync(ct);
        if (revisions.Count == 0) return [];
        var ids = revisions.Select(r => (long?)r.Id).ToList();
        var apps = await db.ChangeRecords.AsNoTracking().Where(c => c.SiteId == Site.Id && ids.Contains(c.RevisionId))
            .Join(db.ActivityLog.AsNoTracking(), c => c.CallId, e => e.CallId, (c, e) => new { c.RevisionId, e.Client })
            .Where(x => x.Client != null).ToListAsync(ct);
        var appOf = apps.GroupBy(x => x.RevisionId!.Value).ToDictionary(g => g.Key, g => g.First().Client!);
        var names = await AppNames.OAuthNamesAsync(db, appOf.Values.Distinct().ToList(), ct);
        var people = await details.AuthorNamesAsync(revisions, ct);
        return revisions.Select(r =>
        {
            var person = r.AuthorId is { } a ? people.GetValueOrDefault(a, "someone") : "someone";
            var who = appOf.TryGetValue(r.Id, out var client) ? $"{AppNames.NameOf(client, names)} (an agent of {person})" : person;
            return new RevisionRow(r.Id, r.Title, r.DateUtc, who);
        }).ToList();
    }
}

/// <summary>The editor's form, bound from the request.</summary>
internal sealed class EditorInput
{
    public string? Title { get; set; }
    public string? Content { get; set; }
    public string? Excerpt { get; set; }
    public string? Slug { get; set; }
    public string Status { get; set; } = PostStatuses.Draft;
    /// <summary>The publication date on the site's clock (<c>datetime-local</c>), and what it was when the form was shown.</summary>
    public string? Date { get; set; }
    public string? DateWas { get; set; }
    public bool CommentsOpen { get; set; } = true;
    public bool Sticky { get; set; }
    public List<long> CategoryIds { get; set; } = [];
    public string? NewCategory { get; set; }
    public string? Tags { get; set; }
    public long FeaturedMedia { get; set; }
    public long FeaturedWas { get; set; }
    public long Parent { get; set; }
    public int MenuOrder { get; set; }
    public List<FieldInput> Fields { get; set; } = [];
    public string? NewFieldKey { get; set; }
    public string? NewFieldValue { get; set; }

    /// <summary>A custom field row: its key and value now, the key it had (to rename), or marked for deletion.</summary>
    public sealed class FieldInput
    {
        public string? Key { get; set; }
        public string? OriginalKey { get; set; }
        public string? Value { get; set; }
        public string? OriginalValue { get; set; }
        public bool Delete { get; set; }
    }

    public static EditorInput ForNew(Site site, DateTime nowUtc)
    {
        var now = ContentKind.LocalInput(site, nowUtc);
        return new EditorInput { Date = now, DateWas = now };
    }

    public static async Task<EditorInput> FromAsync(PressDbContext db, Site site, Post post, CancellationToken ct)
    {
        var date = ContentKind.LocalInput(site, post.DateUtc);
        var termIds = await db.PostTerms.AsNoTracking().Where(t => t.SiteId == site.Id && t.PostId == post.Id).Select(t => t.TermId).ToListAsync(ct);
        var terms = await db.Terms.AsNoTracking().Where(t => t.SiteId == site.Id && termIds.Contains(t.Id)).OrderBy(t => t.Name).ToListAsync(ct);
        var featured = await PostExtras.FeaturedAsync(db, site.Id, post.Id, ct);
        var fields = await PostExtras.CustomFieldsAsync(db, site.Id, post.Id, ct);
        return new EditorInput
        {
            Title = post.Title,
            Content = post.Content,
            Excerpt = post.Excerpt,
            Slug = post.Slug,
            Status = post.Status,
            Date = date,
            DateWas = date,
            CommentsOpen = post.CommentStatus == OpenClosed.Open,
            Sticky = post.Sticky,
            CategoryIds = terms.Where(t => t.Taxonomy == Taxonomies.Category).Select(t => t.Id).ToList(),
            Tags = string.Join(", ", terms.Where(t => t.Taxonomy == Taxonomies.Tag).Select(t => t.Name)),
            FeaturedMedia = featured,
            FeaturedWas = featured,
            Parent = post.ParentId ?? 0,
            MenuOrder = post.MenuOrder,
            Fields = fields.Select(f => new FieldInput { Key = f.Key, OriginalKey = f.Key, Value = f.Value, OriginalValue = f.Value }).ToList(),
        };
    }

    /// <summary>Browsers send text areas with CRLF line endings; stored content keeps the LF it had (and a save without edits changes nothing).</summary>
    public void Normalize()
    {
        Content = Content?.ReplaceLineEndings("\n");
        Excerpt = Excerpt?.ReplaceLineEndings("\n");
        foreach (var f in Fields)
        {
            f.Value = f.Value?.ReplaceLineEndings("\n");
            f.OriginalValue = f.OriginalValue?.ReplaceLineEndings("\n");
        }
        NewFieldValue = NewFieldValue?.ReplaceLineEndings("\n");
    }

    public IReadOnlyList<string> TagNames() =>
        (Tags ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>The custom fields changed, renamed, deleted or added, as the abilities' <c>meta</c> (key → value, null deletes).</summary>
    public JsonObject MetaChanges()
    {
        var meta = new JsonObject();
        foreach (var f in Fields)
        {
            var original = f.OriginalKey?.Trim();
            var key = f.Key?.Trim();
            if (f.Delete || string.IsNullOrEmpty(key))
            {
                if (!string.IsNullOrEmpty(original)) meta[original] = null;
                continue;
            }
            if (key != original)
            {
                if (!string.IsNullOrEmpty(original) && !meta.ContainsKey(original)) meta[original] = null;
                meta[key] = f.Value ?? "";
            }
            else if ((f.Value ?? "") != (f.OriginalValue ?? ""))
            {
                meta[key] = f.Value ?? "";
            }
        }
        if (!string.IsNullOrWhiteSpace(NewFieldKey)) meta[NewFieldKey.Trim()] = NewFieldValue ?? "";
        return meta;
    }
}
