using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Content.Authoring;
using PressMcp.Import;
using PressMcp.OAuth;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Infrastructure;

/// <summary>
/// A post a test wants: the fields an author gives, plus the two only an import can give (sticky, custom fields).
/// Without an author, the site's first administrator writes it.
/// </summary>
internal sealed record NewPost
{
    public required string Title { get; init; }
    public string Content { get; init; } = "";
    public string Excerpt { get; init; } = "";
    public string Type { get; init; } = PostTypes.Post;
    public string Status { get; init; } = PostStatuses.Draft;
    public string? Slug { get; init; }
    public long? AuthorId { get; init; }
    public DateTime? DateUtc { get; init; }
    public long? ParentId { get; init; }
    public int MenuOrder { get; init; }
    public bool Sticky { get; init; }
    public string? CommentStatus { get; init; }
    public IReadOnlyList<long> TermIds { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> Meta { get; init; } = [];
}

/// <summary>
/// Creates content for tests through the services agents and people use, so tests see the rules they see: posts and
/// terms through <see cref="PostEditor"/> and <see cref="TermEditor"/> (as the author, with the author's role on the
/// site), and posts that are sticky or carry custom fields through a one-item WXR import (no other path sets those).
/// </summary>
/// <param name="services">A scope's provider.</param>
internal sealed class ContentSeed(IServiceProvider services)
{
    /// <summary>The call id of every seeding write: tests that count the change records of what they do leave these out.</summary>
    public static readonly Guid CallId = new("5eed5eed-0000-4000-8000-000000000000");

    /// <summary>Creates <paramref name="post"/> on <paramref name="site"/>.</summary>
    public async Task<Outcome<Post>> CreateAsync(Site site, NewPost post, CancellationToken ct = default)
    {
        var authorId = post.AuthorId ?? await FirstAdministratorAsync(site, ct);
        if (post.Sticky || post.Meta.Count > 0) return await ImportAsync(site, post, authorId, ct);
        var db = services.GetRequiredService<PressDbContext>();
        var terms = await db.Terms.AsNoTracking().Where(t => t.SiteId == site.Id && post.TermIds.Contains(t.Id)).ToListAsync(ct);
        var change = new PostChange
        {
            Title = post.Title,
            Content = post.Content,
            Excerpt = post.Excerpt,
            Status = post.Status,
            Slug = post.Slug,
            DateUtc = post.DateUtc,
            ParentId = post.ParentId,
            MenuOrder = post.MenuOrder,
            CommentStatus = post.CommentStatus,
            Categories = [.. terms.Where(t => t.Taxonomy == Taxonomies.Category).Select(t => new TermReference(t.Id, null))],
            Tags = [.. terms.Where(t => t.Taxonomy == Taxonomies.Tag).Select(t => new TermReference(t.Id, null))],
        };
        var edit = await services.GetRequiredService<PostEditor>().CreateAsync(await CallAsync(site, authorId, ct), post.Type, change, ct);
        return edit.Succeeded ? Outcome<Post>.Ok(edit.Value!.Post) : edit.Problem!;
    }

    /// <summary>A category or tag named <paramref name="name"/>: the existing one with that name's slug, else a new one.</summary>
    public async Task<Outcome<Term>> EnsureTermAsync(Site site, string taxonomy, string name, long? parentId = null, CancellationToken ct = default)
    {
        var db = services.GetRequiredService<PressDbContext>();
        var slug = Slugs.FromTitle(name);
        var existing = await db.Terms.FirstOrDefaultAsync(t => t.SiteId == site.Id && t.Taxonomy == taxonomy && t.Slug == slug, ct);
        if (existing is not null) return Outcome<Term>.Ok(existing);
        var call = await CallAsync(site, await FirstAdministratorAsync(site, ct), ct);
        return await services.GetRequiredService<TermEditor>().CreateAsync(call, taxonomy, new NewTerm(name, null, parentId, null), ct);
    }

    /// <summary>A call as an agent of <paramref name="userId"/> makes it on <paramref name="site"/> (every scope: permission is the role's).</summary>
    private async Task<AbilityCall> CallAsync(Site site, long userId, CancellationToken ct)
    {
        var user = await services.GetRequiredService<PressDbContext>().Users.AsNoTracking().SingleAsync(u => u.Id == userId, ct);
        var actor = await services.GetRequiredService<SiteResolver>().ActorAsync(user, site.Id, ct);
        var caller = new McpCaller(user.Id, user.IsServerAdmin, Scopes.Expand(Scopes.Supported), GrantedSiteIds: null, Client: "test", Endpoint: "adapter");
        return new AbilityCall(caller, default, site, actor, services.GetRequiredService<TimeProvider>()) { CallId = CallId };
    }

    private async Task<long> FirstAdministratorAsync(Site site, CancellationToken ct) =>
        await services.GetRequiredService<PressDbContext>().SiteMembers
            .Where(m => m.SiteId == site.Id && m.Role == Roles.Administrator).OrderBy(m => m.AddedUtc).ThenBy(m => m.UserId)
            .Select(m => (long?)m.UserId).FirstOrDefaultAsync(ct)
        ?? throw new InvalidOperationException($"site {site.Slug} has no administrator to write its posts");

    /// <summary>Sticky posts and custom fields come only from an import: one item in a WXR file, as a WordPress export writes it.</summary>
    private async Task<Outcome<Post>> ImportAsync(Site site, NewPost post, long authorId, CancellationToken ct)
    {
        var db = services.GetRequiredService<PressDbContext>();
        var login = await db.Users.Where(u => u.Id == authorId).Select(u => u.UserName!).SingleAsync(ct);
        var terms = await db.Terms.AsNoTracking().Where(t => t.SiteId == site.Id && post.TermIds.Contains(t.Id)).ToListAsync(ct);
        var date = (post.DateUtc ?? services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var item = new StringBuilder()
            .Append("<item><title>").Append(Cdata(post.Title)).Append("</title>")
            .Append("<dc:creator>").Append(Cdata(login)).Append("</dc:creator>")
            // No wp:post_id: the import then gives the post the site's next id, as a new post would get.
            .Append("<guid isPermaLink=\"false\">https://seed.invalid/").Append(Guid.NewGuid()).Append("</guid>")
            .Append("<content:encoded>").Append(Cdata(post.Content)).Append("</content:encoded>")
            .Append("<excerpt:encoded>").Append(Cdata(post.Excerpt)).Append("</excerpt:encoded>")
            .Append("<wp:post_date>").Append(date).Append("</wp:post_date><wp:post_date_gmt>").Append(date).Append("</wp:post_date_gmt>")
            .Append("<wp:comment_status>").Append(post.CommentStatus ?? OpenClosed.Open).Append("</wp:comment_status><wp:ping_status>open</wp:ping_status>")
            // A WordPress export names every published post (wp:post_name); the import keeps an empty one empty.
            .Append("<wp:post_name>").Append(Cdata(post.Slug ?? Slugs.FromTitle(post.Title))).Append("</wp:post_name>")
            .Append("<wp:status>").Append(post.Status).Append("</wp:status>")
            .Append("<wp:post_parent>").Append(post.ParentId ?? 0).Append("</wp:post_parent>")
            .Append("<wp:menu_order>").Append(post.MenuOrder).Append("</wp:menu_order>")
            .Append("<wp:post_type>").Append(post.Type).Append("</wp:post_type><wp:post_password></wp:post_password>")
            .Append("<wp:is_sticky>").Append(post.Sticky ? 1 : 0).Append("</wp:is_sticky>");
        foreach (var t in terms)
            item.Append("<category domain=\"").Append(t.Taxonomy).Append("\" nicename=\"").Append(t.Slug).Append("\">").Append(Cdata(t.Name)).Append("</category>");
        foreach (var (key, value) in post.Meta)
            item.Append("<wp:postmeta><wp:meta_key>").Append(Cdata(key)).Append("</wp:meta_key><wp:meta_value>").Append(Cdata(value)).Append("</wp:meta_value></wp:postmeta>");
        item.Append("</item>");
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\" " +
            "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\n" +
            "<channel><title>Seed</title><wp:wxr_version>1.2</wp:wxr_version>\n" + item + "\n</channel></rss>\n";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(xml));
        var imported = await services.GetRequiredService<WxrImporter>().ImportAsync(site, stream, "seed.xml", ct);
        if (!imported.Succeeded) return imported.Problem!;
        db.ChangeTracker.Clear();
        return Outcome<Post>.Ok(await db.Posts.AsNoTracking().Where(p => p.SiteId == site.Id && p.Title == post.Title.Trim())
            .OrderByDescending(p => p.Id).FirstAsync(ct));
    }

    private static string Cdata(string text) => "<![CDATA[" + text.Replace("]]>", "]]]]><![CDATA[>", StringComparison.Ordinal) + "]]>";
}
