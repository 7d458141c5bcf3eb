using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Sites.Pages;
using PressMcp.Storage;
using PressMcp.Web.Pages;

namespace PressMcp.Content.Pages;

/// <summary>
/// <c>/account/sites/{slug}/posts/{id}/compare?from=…&amp;to=…</c>: any two versions of a post or page (its revisions,
/// or <c>current</c>) side by side, title, content and excerpt, by <see cref="RevisionDiff"/>. For those who may edit it.
/// </summary>
internal sealed class ContentCompareModel(SitePages pages, PressDbContext db, Publishing.PostDetails details) : SitePageModel(pages)
{
    public const string Current = "current";

    public ContentKind Kind { get; private set; } = ContentKind.Posts;
    public override string Section => Kind.Segment;
    public Post Post { get; private set; } = null!;
    public Version From { get; private set; } = null!;
    public Version To { get; private set; } = null!;
    public IReadOnlyList<FieldDiff> Fields { get; private set; } = [];
    /// <summary>Every version, newest first, for the choosers.</summary>
    public IReadOnlyList<Version> Versions { get; private set; } = [];

    /// <summary>One version: a revision (its id) or the current one (Id null).</summary>
    public sealed record Version(long? Id, string Label, string Title, string Content, string Excerpt)
    {
        public string Key => Id?.ToString(CultureInfo.InvariantCulture) ?? Current;
    }

    public string EditorPath => SitePath($"{Kind.Segment}/{Post.Id.ToString(CultureInfo.InvariantCulture)}");

    public async Task<IActionResult> OnGetAsync(string slug, string kind, long id, [FromQuery] string? from, [FromQuery] string? to, CancellationToken ct)
    {
        Kind = ContentKind.Of(kind);
        if (await EnterAsync(slug, Kind.EditCapability, ct) is { } refused) return refused;
        var post = await db.Posts.AsNoTracking().FirstOrDefaultAsync(p => p.SiteId == Site.Id && p.Id == id && p.Type == Kind.Type, ct);
        if (post is null) return NotFound();
        if (Permissions.MissingCapabilities(Member.Actor, Caps.EditPost, post.Facts) is { Count: > 0 } missing)
        {
            ErrorModelReason.Set(HttpContext, $"Your role on {Site.Title} ({Member.RoleText}) may not edit this {Kind.Singular}: it needs {string.Join(", ", missing)}.");
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        Post = post;
        var revisions = await db.Posts.AsNoTracking().Where(p => p.SiteId == Site.Id && p.ParentId == id && p.Type == PostTypes.Revision)
            .OrderByDescending(p => p.DateUtc).ThenByDescending(p => p.Id).Take(ContentEditorModel.MaxChoices).ToListAsync(ct);
        var names = await details.AuthorNamesAsync(revisions, ct);
        Versions =
        [
            new Version(null, "Current version", post.Title, post.Content, post.Excerpt),
            .. revisions.Select(r => new Version(r.Id,
                $"Version until {ContentKind.LocalText(Site, r.DateUtc)} (replaced by {(r.AuthorId is { } a ? names.GetValueOrDefault(a, "someone") : "someone")})",
                r.Title, r.Content, r.Excerpt)),
        ];
        From = Find(from) ?? (Versions.Count > 1 ? Versions[1] : Versions[0]);
        To = Find(to) ?? Versions[0];
        Fields =
        [
            RevisionDiff.Compare("Title", From.Title, To.Title),
            RevisionDiff.Compare("Content", From.Content, To.Content),
            RevisionDiff.Compare("Excerpt", From.Excerpt, To.Excerpt),
        ];
        return Page();
    }

    private Version? Find(string? key) => key is null ? null : Versions.FirstOrDefault(v => v.Key == key);
}
