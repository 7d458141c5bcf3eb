using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content.Abilities;
using PressMcp.Content.Authoring;
using PressMcp.Publishing;
using PressMcp.Sites;
using PressMcp.Sites.Pages;
using PressMcp.Storage;

namespace PressMcp.Content.Pages;

/// <summary>One row of the moderation queue, ready to show: the comment as the public site renders it, and its post.</summary>
internal sealed record CommentRow(
    long Id, string Status, string AuthorName, string AuthorEmail, string AuthorUrl, string? AuthorLink, SiteDate Date,
    IReadOnlyList<IReadOnlyList<string>> Paragraphs, string Content, long PostId, string PostTitle, string? PostLink, string? InReplyTo);

/// <summary>
/// <c>/account/sites/{slug}/comments</c>: WordPress's comment moderation for those with <c>moderate_comments</c>.
/// Tabs by status with counts (one GROUP BY), 20 comments a page, row actions and bulk actions. Every action is an
/// ability call by the person (<see cref="PersonCalls"/>): comments/moderate, comments/reply, comments/update,
/// comments/delete, each comment decided on its own.
/// </summary>
internal sealed class CommentsPageModel(SitePages pages, PressDbContext db, PersonCalls calls, SiteUrls urls) : SitePageModel(pages)
{
    public const int PerPage = 20;
    public const string All = "all";

    /// <summary>The tabs: WordPress's "All" is pending and approved, not spam or trash.</summary>
    public static readonly IReadOnlyList<(string Name, string Label)> Tabs =
        [(All, "All"), (CommentStatusNames.Pending, "Pending"), (CommentStatuses.Approved, "Approved"), (CommentStatuses.Spam, "Spam"), (CommentStatuses.Trash, "Trash")];

    /// <summary>Actions on one comment or many, and what each is called in a notice.</summary>
    public static readonly IReadOnlyDictionary<string, string> ActionDone = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["approve"] = "Approved",
        ["unapprove"] = "Unapproved",
        ["spam"] = "Marked as spam",
        ["unspam"] = "Restored from spam",
        ["trash"] = "Moved to the trash",
        ["restore"] = "Restored from the trash",
        ["delete"] = "Deleted permanently",
    };

    public static readonly IReadOnlyList<(string Action, string Label)> BulkActions =
        [("approve", "Approve"), ("unapprove", "Unapprove"), ("spam", "Mark as spam"), ("trash", "Move to the trash"), ("delete", "Delete permanently")];

    public override string Section => "comments";
    public string Status { get; private set; } = All;
    public int PageNumber { get; private set; } = 1;
    public IReadOnlyDictionary<string, long> Counts { get; private set; } = new Dictionary<string, long>();
    public IReadOnlyList<CommentRow> Rows { get; private set; } = [];
    public long Total => Counts.GetValueOrDefault(Status);
    public int PageCount => (int)Math.Max(1, (Total + PerPage - 1) / PerPage);

    public string ListPath(string status, int page = 1) =>
        SitePath("comments") + (status == All && page == 1 ? "" : $"?status={status}" + (page > 1 ? string.Create(CultureInfo.InvariantCulture, $"&paged={page}") : ""));

    public async Task<IActionResult> OnGetAsync(string slug, string? status, int? paged, CancellationToken ct)
    {
        if (await EnterAsync(slug, Caps.ModerateComments, ct) is { } refused) return refused;
        Status = Tabs.Any(t => t.Name == status) ? status! : All;
        Counts = await CountsAsync(ct);
        PageNumber = Math.Clamp(paged ?? 1, 1, PageCount);
        Rows = await RowsAsync(ct);
        return Page();
    }

    /// <summary>One action on one comment (a row's button, or the dashboard's).</summary>
    public async Task<IActionResult> OnPostActAsync(string slug, long id, string act, string? status, int? paged, string? back, CancellationToken ct)
    {
        if (await EnterAsync(slug, Caps.ModerateComments, ct) is { } refused) return refused;
        var path = Back(status, paged, back);
        if (!ActionDone.ContainsKey(act ?? "")) return Done(path, null, $"Unknown action '{act}'.");
        var result = await ActAsync(id, act!, $"comments: {act}", ct);
        return result.Succeeded
            ? Done(path, $"{ActionDone[act!]}: comment {id.ToString(CultureInfo.InvariantCulture)}.")
            : Done(path, null, $"Comment {id.ToString(CultureInfo.InvariantCulture)}: {result.Message}");
    }

    /// <summary>One action on the checked comments; each is decided on its own, and the notice counts both outcomes.</summary>
    public async Task<IActionResult> OnPostBulkAsync(string slug, long[]? ids, string? act, string? status, int? paged, CancellationToken ct)
    {
        if (await EnterAsync(slug, Caps.ModerateComments, ct) is { } refused) return refused;
        var path = Back(status, paged, null);
        if (act is null || !BulkActions.Any(a => a.Action == act)) return Done(path, null, "Choose a bulk action.");
        var chosen = (ids ?? []).Distinct().Take(PerPage * 5).ToList();
        if (chosen.Count == 0) return Done(path, null, "Check at least one comment.");
        var failures = new List<string>();
        foreach (var id in chosen)
        {
            var result = await ActAsync(id, act, $"comments: bulk {act}", ct);
            if (!result.Succeeded) failures.Add($"comment {id.ToString(CultureInfo.InvariantCulture)}: {result.Message}");
        }
        var done = chosen.Count - failures.Count;
        string? notice = done > 0 ? $"{ActionDone[act]}: {Count(done)}." : null;
        string? error = failures.Count > 0 ? $"{Count(failures.Count)} could not be changed: {string.Join("; ", failures.Take(5))}{(failures.Count > 5 ? "; …" : "")}" : null;
        return Done(path, notice, error);
    }

    /// <summary>The inline reply form: a reply by the moderator, approved at once (and approving a held comment it answers).</summary>
    public async Task<IActionResult> OnPostReplyAsync(string slug, long id, string? content, string? status, int? paged, CancellationToken ct)
    {
        if (await EnterAsync(slug, Caps.ModerateComments, ct) is { } refused) return refused;
        var path = Back(status, paged, null);
        if (string.IsNullOrWhiteSpace(content)) return Done(path, null, "Write a reply before sending it.");
        var postId = await db.Comments.Where(c => c.SiteId == Site.Id && c.Id == id).Select(c => (long?)c.PostId).FirstOrDefaultAsync(ct);
        if (postId is null) return Done(path, null, $"There is no comment {id.ToString(CultureInfo.InvariantCulture)} on this site.");
        var result = await calls.RunAsync(Member.Actor, Site, CommentAbilities.Reply,
            new JsonObject { ["post_id"] = postId, ["parent"] = id, ["content"] = content }, "comments: reply", ct);
        return result.Succeeded
            ? Done(path, $"Reply posted to comment {id.ToString(CultureInfo.InvariantCulture)}." + NoteOf(result))
            : Done(path, null, $"Reply to comment {id.ToString(CultureInfo.InvariantCulture)}: {result.Message}");
    }

    public async Task<IActionResult> OnPostEditAsync(string slug, long id, string? content, string? authorName, string? authorEmail, string? authorUrl, string? status, int? paged, CancellationToken ct)
    {
        if (await EnterAsync(slug, Caps.ModerateComments, ct) is { } refused) return refused;
        var path = Back(status, paged, null);
        var result = await calls.RunAsync(Member.Actor, Site, CommentAbilities.Update, new JsonObject
        {
            ["comment_id"] = id,
            ["content"] = content ?? "",
            ["author_name"] = authorName ?? "",
            ["author_email"] = authorEmail ?? "",
            ["author_url"] = authorUrl ?? "",
        }, "comments: edit", ct);
        return result.Succeeded
            ? Done(path, $"Comment {id.ToString(CultureInfo.InvariantCulture)} saved." + NoteOf(result))
            : Done(path, null, $"Comment {id.ToString(CultureInfo.InvariantCulture)}: {result.Message}");
    }

    private static string Count(int n) => n == 1 ? "1 comment" : $"{n.ToString(CultureInfo.InvariantCulture)} comments";

    private static string NoteOf(Invocation result) =>
        result.Value is { ValueKind: System.Text.Json.JsonValueKind.Object } v && v.TryGetProperty("note", out var note) ? $" ({note.GetString()})" : "";

    /// <summary>Where to return after a POST: the same tab and page, or the dashboard (fixed addresses only, never one from the form).</summary>
    private string Back(string? status, int? paged, string? back) =>
        back == "dashboard" ? SitePath() : ListPath(Tabs.Any(t => t.Name == status) ? status! : All, Math.Max(1, paged ?? 1));

    private async Task<Invocation> ActAsync(long id, string act, string action, CancellationToken ct)
    {
        if (act == "delete")
            return await calls.RunAsync(Member.Actor, Site, CommentAbilities.Delete, new JsonObject { ["comment_id"] = id }, action, ct);
        var moderation = act switch
        {
            "approve" => "approve",
            "unapprove" => "hold",
            "spam" => "spam",
            "trash" => "trash",
            // "Not spam" and "Restore" bring back the status the comment had before, as WordPress does; held when unknown.
            _ => await StatusBeforeAsync(id, ct),
        };
        return await calls.RunAsync(Member.Actor, Site, CommentAbilities.Moderate, new JsonObject { ["comment_id"] = id, ["status"] = moderation }, action, ct);
    }

    /// <summary>The status a comment had before its latest status change, from that change's record.</summary>
    private async Task<string> StatusBeforeAsync(long id, CancellationToken ct)
    {
        var befores = await db.ChangeRecords.AsNoTracking()
            .Where(c => c.SiteId == Site.Id && c.ObjectType == CommentEditor.ObjectType && c.ObjectId == id && c.Action == "update" && c.Before != null)
            .OrderByDescending(c => c.Id).Select(c => c.Before!).Take(20).ToListAsync(ct);
        foreach (var before in befores)
        {
            var status = JsonNode.Parse(before)?["status"]?.GetValue<string>();
            if (status is null) continue;
            return status == CommentStatuses.Approved ? "approve" : "hold";
        }
        return "hold";
    }

    private async Task<Dictionary<string, long>> CountsAsync(CancellationToken ct)
    {
        var byStatus = await db.Comments.Where(c => c.SiteId == Site.Id).GroupBy(c => c.Status)
            .Select(g => new { g.Key, Count = g.LongCount() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var pending = byStatus.GetValueOrDefault(CommentStatuses.Hold);
        var approved = byStatus.GetValueOrDefault(CommentStatuses.Approved);
        return new Dictionary<string, long>
        {
            [All] = pending + approved,
            [CommentStatusNames.Pending] = pending,
            [CommentStatuses.Approved] = approved,
            [CommentStatuses.Spam] = byStatus.GetValueOrDefault(CommentStatuses.Spam),
            [CommentStatuses.Trash] = byStatus.GetValueOrDefault(CommentStatuses.Trash),
        };
    }

    private async Task<IReadOnlyList<CommentRow>> RowsAsync(CancellationToken ct)
    {
        var q = db.Comments.AsNoTracking().Where(c => c.SiteId == Site.Id);
        q = Status == All
            ? q.Where(c => c.Status == CommentStatuses.Hold || c.Status == CommentStatuses.Approved)
            : q.Where(c => c.Status == CommentStatusNames.Stored(Status));
        var comments = await q.OrderByDescending(c => c.DateUtc).ThenByDescending(c => c.Id)
            .Skip((PageNumber - 1) * PerPage).Take(PerPage).ToListAsync(ct);
        return await ToRowsAsync(db, urls, Site, comments, ct);
    }

    /// <summary>Rows for <paramref name="comments"/> with their posts and the authors they reply to: two queries for any number.</summary>
    public static async Task<IReadOnlyList<CommentRow>> ToRowsAsync(PressDbContext db, SiteUrls urls, Site site, IReadOnlyList<Comment> comments, CancellationToken ct)
    {
        var postIds = comments.Select(c => c.PostId).Distinct().ToList();
        var parentIds = comments.Where(c => c.ParentId is not null).Select(c => c.ParentId!.Value).Distinct().ToList();
        // The columns a link needs, never the posts' content.
        var posts = await db.Posts.AsNoTracking().Where(p => p.SiteId == site.Id && postIds.Contains(p.Id))
            .Select(p => new Post { SiteId = p.SiteId, Id = p.Id, Type = p.Type, Status = p.Status, Title = p.Title, Slug = p.Slug, DateUtc = p.DateUtc })
            .ToDictionaryAsync(p => p.Id, ct);
        var parents = await db.Comments.AsNoTracking().Where(c => c.SiteId == site.Id && parentIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.AuthorName, ct);
        var links = new PublicLinks(site, urls.BaseOf(site));
        return comments.Select(c =>
        {
            var post = posts.GetValueOrDefault(c.PostId);
            string? postLink = post is { Status: PostStatuses.Publish }
                ? (post.Type == PostTypes.Post ? links.Post(post) : $"{links.Base}/?p={post.Id.ToString(CultureInfo.InvariantCulture)}")
                : null;
            var url = c.AuthorUrl.Trim();
            return new CommentRow(
                c.Id, c.Status, c.AuthorName.Trim().Length > 0 ? c.AuthorName.Trim() : "Anonymous", c.AuthorEmail, c.AuthorUrl,
                CommentEditor.IsWebAddress(url) ? new Uri(url).AbsoluteUri : null,
                PostDetails.DateOf(site, c.DateUtc, withTime: true), ArticleReader.Paragraphs(c.Content), c.Content,
                c.PostId, post is null ? $"post {c.PostId.ToString(CultureInfo.InvariantCulture)}" : (post.Title.Length > 0 ? post.Title : "(no title)"), postLink,
                c.ParentId is { } pid ? parents.GetValueOrDefault(pid, "a deleted comment") : null);
        }).ToList();
    }
}
