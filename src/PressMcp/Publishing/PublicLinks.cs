using System.Globalization;
using PressMcp.Content;
using PressMcp.Sites;

namespace PressMcp.Publishing;

/// <summary>
/// Every address on a public site, from the site's base URL (<see cref="SiteUrls.BaseOf(Site)"/>: the configured
/// public URL or the site's host name, never a request's Host header). Slugs are percent-encoded per segment.
/// </summary>
internal sealed class PublicLinks(Site site, string baseUrl)
{
    public string Base => baseUrl;

    public string Home => baseUrl + "/";

    /// <summary>A post's address in the site's permalink structure (<see cref="Permalinks"/>); dates on the site's clock.</summary>
    public string Post(Post post)
    {
        var local = SiteTime.ToLocal(site, post.DateUtc);
        var slug = Uri.EscapeDataString(post.Slug);
        return site.PermalinkStructure switch
        {
            Permalinks.Plain => string.Create(CultureInfo.InvariantCulture, $"{baseUrl}/?p={post.Id}"),
            Permalinks.MonthAndName => string.Create(CultureInfo.InvariantCulture, $"{baseUrl}/{local:yyyy}/{local:MM}/{slug}/"),
            Permalinks.Numeric => string.Create(CultureInfo.InvariantCulture, $"{baseUrl}/{Permalinks.ArchivesSegment}/{post.Id}"),
            Permalinks.PostName => $"{baseUrl}/{slug}/",
            _ => string.Create(CultureInfo.InvariantCulture, $"{baseUrl}/{local:yyyy}/{local:MM}/{local:dd}/{slug}/"),
        };
    }

    /// <summary>A page by its path of slugs from the top of the page tree.</summary>
    public string Page(IEnumerable<string> path) => Path(path);

    public string Category(IEnumerable<string> path) => Path(["category", .. path]);

    public string Tag(string slug) => Path(["tag", slug]);

    /// <summary>A category or tag of a post as a link; categories by their full path in <paramref name="categories"/>.</summary>
    public TermLink LinkOf(Term term, PostDetails.Tree categories) =>
        new(term.Name, term.Taxonomy == Taxonomies.Category ? Category(categories.PathOf(term.Id)) : Tag(term.Slug));

    /// <summary>Page <paramref name="page"/> of a list at <paramref name="listUrl"/> (which ends in '/'), keeping search words.</summary>
    public static string Paged(string listUrl, int page, string? searchText)
    {
        var url = page <= 1 ? listUrl : string.Create(CultureInfo.InvariantCulture, $"{listUrl}page/{page}/");
        return searchText is null ? url : url + "?s=" + Uri.EscapeDataString(searchText);
    }

    private string Path(IEnumerable<string> segments) => baseUrl + "/" + string.Join('/', segments.Select(Uri.EscapeDataString)) + "/";
}
