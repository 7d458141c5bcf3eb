using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Media;
using PressMcp.Sites;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Demo;

/// <param name="Owner">The login made an administrator of the site; by default the server's first administrator (of a site the run creates).</param>
internal sealed record DemoOptions(string SiteSlug = "demo", int Posts = 200, int Seed = 1, string? Owner = null)
{
    public const int MaxPosts = 1_000_000;
}

internal sealed record DemoReport(string SiteSlug, long SiteId, bool CreatedSite, string? Administrator, int Posts, int Pages, int Categories, int Tags, int Comments, int Media, int ViewRows, TimeSpan Elapsed);

/// <summary>
/// Fills a site with realistic synthetic content from a fixed seed, so anyone can try PressMcp and benchmarks
/// are repeatable. Writes with prepared bulk inserts, committing batches of whole posts (each post with its
/// terms, meta and comments), so an interrupted run leaves fewer posts, never a broken one, and the server's
/// writers are never blocked for long.
/// </summary>
internal sealed class DemoGenerator(
    PressDbContext db, SiteDirectory sites, SiteResolver resolver, UserAccounts accounts, SiteSequences sequences,
    SiteUrls urls, TimeProvider clock, ILogger<DemoGenerator> logger)
{
    private const int BatchSize = 5000;
    private static readonly string[] MoodValues = ["calm", "curious", "excited", "thoughtful", "sleepy"];

    public async Task<Outcome<DemoReport>> GenerateAsync(DemoOptions options, CancellationToken ct = default)
    {
        if (options.Posts is < 0 or > DemoOptions.MaxPosts) return Problem.Invalid($"--posts must be between 0 and {DemoOptions.MaxPosts:N0}");
        // Who administers the site is settled before anything is written: a wrong --owner leaves no trace.
        User? owner;
        if (options.Owner is { } login)
        {
            owner = await accounts.FindByLoginAsync(login);
            if (owner is null) return Problem.NotFound($"no user with the login '{login}' (--owner)");
        }
        else
        {
            owner = await accounts.FirstServerAdminAsync(ct);
        }
        var watch = Stopwatch.StartNew();
        var text = new DemoText(options.Seed);
        var authors = await EnsureAuthorsAsync(ct);
        if (!authors.Succeeded) return authors.Problem!;

        var (site, created) = await EnsureSiteAsync(options.SiteSlug, authors.Value!, ct);
        if (site.Problem is { } problem) return problem;
        var s = site.Value!;
        // The person trying the demo administers it (the generated authors cannot sign in). A site that already existed
        // keeps its members unless --owner asks for one.
        string? administrator = null;
        if (owner is not null && (created || options.Owner is not null))
        {
            var made = await sites.SetMemberAsync(s, owner.UserName!, Roles.Administrator, ct);
            if (!made.Succeeded) return made.Problem!;
            administrator = owner.UserName;
        }
        var authorIds = authors.Value!.Select(u => u.Id).ToArray();

        var (categories, tags) = await CreateTermsAsync(s, text, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var pageCount = Math.Max(5, options.Posts / 200);
        var mediaCount = options.Posts / 10;
        var usedSlugs = await db.Posts.Where(p => p.SiteId == s.Id).Select(p => p.Type + "/" + p.Slug).ToHashSetAsync(ct);
        var counts = new Counts();

        await WritePostsAsync(s, text, PostTypes.Page, pageCount, authorIds, [], [], usedSlugs, now, counts, ct);
        var published = await WritePostsAsync(s, text, PostTypes.Post, options.Posts, authorIds, categories, tags, usedSlugs, now, counts, ct);
        await WriteMediaAsync(s, text, mediaCount, authorIds, now, counts, ct);
        var viewRows = await WriteViewsAsync(s, text, published, now, ct);

        logger.LogInformation("Demo content written to {Site} in {Elapsed}", s.Slug, watch.Elapsed);
        return Outcome<DemoReport>.Ok(new DemoReport(s.Slug, s.Id, created, administrator, options.Posts, pageCount, categories.Count, tags.Count, counts.Comments, mediaCount, viewRows, watch.Elapsed));
    }

    private sealed class Counts
    {
        public int Comments;
    }

    private async Task<Outcome<List<User>>> EnsureAuthorsAsync(CancellationToken ct)
    {
        var list = new List<User>();
        for (var i = 1; i <= 4; i++)
        {
            var login = $"demo-author-{i}";
            var user = await accounts.FindByLoginAsync(login);
            if (user is null)
            {
                // No usable password: these accounts exist to own content, nobody signs in as them.
                var made = await accounts.CreateAsync(new NewUser(login, $"{login}@demo.invalid", null, DisplayName: DemoNames[i - 1]), ct);
                if (!made.Succeeded) return made.Problem!;
                user = made.Value!;
            }
            list.Add(user);
        }
        return Outcome<List<User>>.Ok(list);
    }

    private static readonly string[] DemoNames = ["Ada Demo", "Ben Sample", "Cleo Example", "Dev Placeholder"];

    private async Task<(Outcome<Site> Site, bool Created)> EnsureSiteAsync(string slug, List<User> authors, CancellationToken ct)
    {
        var existing = await resolver.ResolveAsync(slug, ct);
        if (existing.Succeeded) return (existing, false);
        if (existing.Problem!.Kind != ErrorKind.NotFound) return (existing, false);
        var made = await sites.CreateAsync(new NewSite(slug, "PressMcp Demo", authors[0].UserName!, Tagline: "Synthetic content for trying PressMcp"), ct);
        if (!made.Succeeded) return (made, false);
        for (var i = 1; i < authors.Count; i++)
            await sites.SetMemberAsync(made.Value!, authors[i].UserName!, i == 1 ? Roles.Editor : Roles.Author, ct);
        return (made, true);
    }

    private async Task<(List<long> Categories, List<long> Tags)> CreateTermsAsync(Site site, DemoText text, CancellationToken ct)
    {
        var existing = await db.Terms.Where(t => t.SiteId == site.Id).ToListAsync(ct);
        if (existing.Count > 0)
            return (existing.Where(t => t.Taxonomy == Taxonomies.Category).Select(t => t.Id).ToList(),
                    existing.Where(t => t.Taxonomy == Taxonomies.Tag).Select(t => t.Id).ToList());

        var slugs = new HashSet<string>();
        var categories = new List<long>();
        var tags = new List<long>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var first = await sequences.NextTermIdsAsync(site.Id, 92, ct);
        var id = first;
        for (var i = 0; i < 32; i++)
        {
            var name = Unique(text.Title().Split(' ').Take(2), slugs);
            db.Terms.Add(new Term { SiteId = site.Id, Id = id, Taxonomy = Taxonomies.Category, Name = name, Slug = Slugs.FromTitle(name), ParentId = i >= 12 ? first + i % 12 : null });
            categories.Add(id++);
        }
        for (var i = 0; i < 60; i++)
        {
            var name = Unique([text.Word()], slugs);
            db.Terms.Add(new Term { SiteId = site.Id, Id = id, Taxonomy = Taxonomies.Tag, Name = name, Slug = Slugs.FromTitle(name) });
            tags.Add(id++);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return (categories, tags);
    }

    private static string Unique(IEnumerable<string> words, HashSet<string> used)
    {
        var name = string.Join(' ', words);
        name = char.ToUpperInvariant(name[0]) + name[1..];
        var candidate = name;
        for (var n = 2; !used.Add(Slugs.FromTitle(candidate)); n++) candidate = $"{name} {n}";
        return candidate;
    }

    /// <summary>Writes posts or pages in batches; returns the ids of the published ones.</summary>
    private async Task<List<long>> WritePostsAsync(Site site, DemoText text, string type, int count, long[] authors,
        List<long> categories, List<long> tags, HashSet<string> usedSlugs, DateTime now, Counts counts, CancellationToken ct)
    {
        var published = new List<long>();
        var baseUrl = urls.BaseOf(site);
        var r = text.Random;
        var pageIds = new List<long>();
        for (var done = 0; done < count; done += BatchSize)
        {
            var n = Math.Min(BatchSize, count - done);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var written = ContextConnection.TransactionOf(db);
            var firstId = await sequences.NextPostIdsAsync(site.Id, n, ct);
            var firstComment = type == PostTypes.Post ? await sequences.NextCommentIdsAsync(site.Id, n * 7, ct) : 0;
            var commentId = firstComment;
            await using var posts = new BulkInsert<Post>(written, EntityTable<Post>.Of(db));
            await using var terms = new BulkInsert<PostTerm>(written, EntityTable<PostTerm>.Of(db));
            await using var meta = new BulkInsert<PostMeta>(written, EntityTable<PostMeta>.Of(db));
            await using var comments = new BulkInsert<Comment>(written, EntityTable<Comment>.Of(db));
            for (var i = 0; i < n; i++)
            {
                var id = firstId + i;
                var title = text.Title();
                var slug = Slugs.FromTitle(title);
                if (!usedSlugs.Add(type + "/" + slug)) { slug = $"{slug}-{id}"; usedSlugs.Add(type + "/" + slug); }
                var roll = r.Next(100);
                var date = now.AddMinutes(-r.Next(1, 3 * 365 * 24 * 60));
                var status = type == PostTypes.Page ? PostStatuses.Publish
                    : roll < 90 ? PostStatuses.Publish : roll < 95 ? PostStatuses.Draft : roll < 97 ? PostStatuses.Pending : roll < 99 ? PostStatuses.Private : PostStatuses.Future;
                if (status == PostStatuses.Future) date = now.AddHours(r.Next(1, 24 * 30));
                long? parent = type == PostTypes.Page && pageIds.Count > 0 && r.Next(3) == 0 ? pageIds[r.Next(pageIds.Count)] : null;
                var commentCount = status == PostStatuses.Publish && type == PostTypes.Post ? r.Next(0, 7) : 0;
                var approved = 0;
                var postComments = new List<(long Id, string Status)>();
                for (var c = 0; c < commentCount; c++)
                {
                    var cs = r.Next(20) switch { 0 => CommentStatuses.Spam, 1 or 2 => CommentStatuses.Hold, _ => CommentStatuses.Approved };
                    if (cs == CommentStatuses.Approved) approved++;
                    postComments.Add((commentId++, cs));
                }
                // Properties in the order the generator has always drawn its random numbers: a seed still writes the same content.
                await posts.AddAsync(new Post
                {
                    SiteId = site.Id, Id = id, Type = type, Status = status, Title = title, Content = text.Body(), Excerpt = r.Next(4) == 0 ? text.Sentence() : "",
                    Slug = slug, AuthorId = authors[r.Next(authors.Length)], DateUtc = date, ModifiedUtc = date.AddMinutes(r.Next(0, 600)), ParentId = parent,
                    MenuOrder = type == PostTypes.Page ? r.Next(0, 10) : 0, Sticky = type == PostTypes.Post && done + i < 2,
                    CommentStatus = OpenClosed.Open, PingStatus = OpenClosed.Open, Format = "standard", Password = "", Guid = $"{baseUrl}/?p={id}", CommentCount = approved,
                }, ct);
                if (type == PostTypes.Page) pageIds.Add(id);
                if (status == PostStatuses.Publish) published.Add(id);
                if (categories.Count > 0)
                {
                    var chosen = new HashSet<long> { categories[r.Next(categories.Count)] };
                    if (r.Next(3) == 0) chosen.Add(categories[r.Next(categories.Count)]);
                    for (var t = r.Next(0, 5); t > 0; t--) chosen.Add(tags[r.Next(tags.Count)]);
                    foreach (var term in chosen) await terms.AddAsync(new PostTerm { SiteId = site.Id, PostId = id, TermId = term }, ct);
                }
                if (r.Next(5) == 0) await meta.AddAsync(new PostMeta { SiteId = site.Id, PostId = id, Key = "mood", Value = MoodValues[r.Next(MoodValues.Length)] }, ct);
                for (var c = 0; c < postComments.Count; c++)
                {
                    long? replyTo = c > 0 && r.Next(10) < 3 ? postComments[r.Next(c)].Id : null;
                    var who = text.Word();
                    await comments.AddAsync(new Comment
                    {
                        SiteId = site.Id, Id = postComments[c].Id, PostId = id, ParentId = replyTo, AuthorName = char.ToUpperInvariant(who[0]) + who[1..],
                        AuthorEmail = $"{who}@demo.invalid", AuthorUrl = "", AuthorIp = "127.0.0.1", UserId = null, DateUtc = date.AddHours(r.Next(1, 24 * 60)),
                        Content = text.Paragraph(1, 3), Status = postComments[c].Status, Type = "comment",
                    }, ct);
                    counts.Comments++;
                }
            }
            await tx.CommitAsync(ct);
        }
        return published;
    }

    private async Task WriteMediaAsync(Site site, DemoText text, int count, long[] authors, DateTime now, Counts counts, CancellationToken ct)
    {
        var r = text.Random;
        var baseUrl = urls.BaseOf(site);
        for (var done = 0; done < count; done += BatchSize)
        {
            var n = Math.Min(BatchSize, count - done);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var written = ContextConnection.TransactionOf(db);
            var firstId = await sequences.NextPostIdsAsync(site.Id, n, ct);
            await using var posts = new BulkInsert<Post>(written, EntityTable<Post>.Of(db));
            await using var files = new BulkInsert<MediaFile>(written, EntityTable<MediaFile>.Of(db));
            for (var i = 0; i < n; i++)
            {
                var id = firstId + i;
                var name = Slugs.FromTitle(text.Words(2, 4));
                var (ext, mime) = r.Next(10) switch { 0 => ("pdf", "application/pdf"), 1 => ("png", "image/png"), _ => ("jpg", "image/jpeg") };
                var isImage = mime.StartsWith("image/", StringComparison.Ordinal);
                var date = now.AddMinutes(-r.Next(1, 3 * 365 * 24 * 60));
                await posts.AddAsync(new Post
                {
                    SiteId = site.Id, Id = id, Type = PostTypes.Attachment, Status = PostStatuses.Inherit, Title = name, Content = "",
                    Excerpt = isImage ? text.Sentence() : "", Slug = $"{name}-{id}", AuthorId = authors[r.Next(authors.Length)], DateUtc = date, ModifiedUtc = date,
                    MenuOrder = 0, Sticky = false, CommentStatus = OpenClosed.Closed, PingStatus = OpenClosed.Closed, Format = "standard", Password = "",
                    MimeType = mime, Guid = $"{baseUrl}/?attachment_id={id}", CommentCount = 0,
                }, ct);
                await files.AddAsync(new MediaFile
                {
                    SiteId = site.Id, PostId = id, FileName = $"{name}.{ext}", SourceUrl = $"https://media.demo.invalid/{date:yyyy/MM}/{name}.{ext}",
                    SizeBytes = r.Next(20_000, 4_000_000), Width = isImage ? r.Next(400, 4000) : null, Height = isImage ? r.Next(300, 3000) : null,
                    AltText = isImage ? text.Words(3, 8) : "",
                }, ct);
            }
            await tx.CommitAsync(ct);
        }
    }

    /// <summary>Daily views over the past year: every day for the site, all days for a few popular posts, a few days for the rest.</summary>
    private async Task<int> WriteViewsAsync(Site site, DemoText text, List<long> published, DateTime now, CancellationToken ct)
    {
        var r = text.Random;
        var today = SiteTime.DayOf(site, now);
        var siteDays = new Dictionary<DateOnly, long>();
        var postDays = new Dictionary<(long, DateOnly), long>();
        var popular = published.OrderBy(_ => r.Next()).Take(Math.Min(200, published.Count)).ToList();
        foreach (var post in popular)
        {
            var weight = r.Next(5, 200);
            for (var d = 0; d < 365; d++)
                if (r.Next(4) != 0) postDays[(post, today.AddDays(-d))] = r.Next(1, weight);
        }
        foreach (var post in published.Take(20_000))
        {
            for (var k = r.Next(1, 4); k > 0; k--) postDays[(post, today.AddDays(-r.Next(365)))] = r.Next(1, 12);
        }
        foreach (var ((_, day), views) in postDays) siteDays[day] = siteDays.GetValueOrDefault(day) + views;
        for (var d = 0; d < 365; d++) siteDays[today.AddDays(-d)] = siteDays.GetValueOrDefault(today.AddDays(-d)) + r.Next(20, 400);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var written = ContextConnection.TransactionOf(db);
        await UpsertAsync(written, "INSERT INTO site_daily_views (site_id, day, views) VALUES (@a, @b, @c) ON CONFLICT (site_id, day) DO UPDATE SET views = site_daily_views.views + excluded.views",
            siteDays.Select(kv => new object[] { site.Id, kv.Key, kv.Value }), ct);
        await UpsertAsync(written, "INSERT INTO post_daily_views (site_id, post_id, day, views) VALUES (@a, @d, @b, @c) ON CONFLICT (site_id, post_id, day) DO UPDATE SET views = post_daily_views.views + excluded.views",
            postDays.Select(kv => new object[] { site.Id, kv.Key.Item2, kv.Value, kv.Key.Item1 }), ct);
        await tx.CommitAsync(ct);
        return siteDays.Count + postDays.Count;
    }

    private static async Task UpsertAsync(DbTransactionInfo tx, string sql, IEnumerable<object[]> rows, CancellationToken ct)
    {
        await using var cmd = tx.Connection.CreateCommand();
        cmd.Transaction = tx.Transaction;
#pragma warning disable CA2100 // Constant statements of this class; values are parameters.
        cmd.CommandText = sql;
#pragma warning restore CA2100
        var names = new[] { "@a", "@b", "@c", "@d" };
        var ps = names.Where(n => sql.Contains(n, StringComparison.Ordinal)).Select(n => { var p = cmd.CreateParameter(); p.ParameterName = n; cmd.Parameters.Add(p); return p; }).ToArray();
        var prepared = false;
        foreach (var row in rows)
        {
            for (var i = 0; i < ps.Length; i++) ps[i].Value = row[i];
            if (!prepared) { await cmd.PrepareAsync(ct); prepared = true; }
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }
}
