using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PressMcp.Publishing.Statistics;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Publishing.Pages;

/// <summary>
/// Every public page of a site: <c>/sites/{slug}/…</c>, and <c>/…</c> on the site's host name (see
/// <see cref="SiteHostRouting"/>). A site with a host name is reached only there: its <c>/sites/{slug}/…</c>
/// addresses redirect permanently to <c>https://{host}/…</c>, so each page has one address.
/// </summary>
internal sealed class SitePageModel(PressDbContext db, PublicSiteReader reader, PublicHeaders headers, ViewCounter views) : PageModel
{
    public SiteChrome Chrome { get; private set; } = null!;
    public PublicView? View { get; private set; }
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(string site, string? path, [FromQuery(Name = "s")] string? search, [FromQuery(Name = "p")] string? postId, CancellationToken ct)
    {
        // Only a slug the site rules allow is looked up: case-folding anything else could turn a look-alike
        // (the Kelvin sign "\u212A" lower-cases to "k") into a real slug, and the redirect below into a mangled URL.
        if (SiteRules.NormalizeSlug(site) is not { } slug) return NotFound();
        var found = await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Slug == slug, ct);
        if (found is null) return NotFound();
        if (found.HostName is not null && HttpContext.Features.Get<SiteHostFeature>() is null)
        {
            // The rest of the path, cut at the segment (never by a character count of the decoded slug).
            Request.Path.StartsWithSegments($"{SiteHostRouting.SitesPrefix}/{site}", StringComparison.OrdinalIgnoreCase, out var rest);
            return RedirectPermanent(reader.LinksOf(found).Base + rest.ToUriComponent() + Request.QueryString);
        }

        headers.Apply(Response);
        var settings = await PublicSettings.ReadAsync(db, found.Id, ct);
        Chrome = new SiteChrome(found.Title, found.Tagline, found.Language, reader.LinksOf(found).Home, headers.StylesheetUrl, headers.IconUrl) { Indexable = settings.Indexable };

        // WordPress's plain links (?p=123, the GUID of every post): the post's address under the plain structure,
        // otherwise a link to it.
        var request = string.IsNullOrEmpty(path) && long.TryParse(postId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? PublicRequest.PlainPost(id)
            : PublicPath.Parse(path, search);
        if (request is null) return Refuse(StatusCodes.Status404NotFound, null);
        var outcome = await reader.ReadAsync(found, settings, request, ct);
        if (!outcome.Succeeded)
            return Refuse(outcome.Problem!.Kind == ErrorKind.Invalid ? StatusCodes.Status400BadRequest : StatusCodes.Status404NotFound, outcome.Problem.Message);

        View = outcome.Value!;
        if (View.MovedTo is { } moved) return RedirectPermanent(moved);
        if (View.Counted) views.CountOnSuccess(HttpContext, found, View.CountedPostId);
        return Page();
    }

    /// <summary>Public pages are read-only; without this a form post would render the page with no model.</summary>
    public IActionResult OnPost() => StatusCode(StatusCodes.Status405MethodNotAllowed);

    /// <summary>The site's own page for an address that shows nothing (404) or a request it cannot answer (400).</summary>
    private PageResult Refuse(int status, string? message)
    {
        Message = status == StatusCodes.Status400BadRequest ? message : "Nothing is published at this address.";
        var result = Page();
        result.StatusCode = status;
        return result;
    }
}
