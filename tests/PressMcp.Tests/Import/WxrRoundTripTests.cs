using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Import;
using PressMcp.Media;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Import;

/// <summary>Export a site, import the file into an empty site: the two hold the same content.</summary>
[Trait(Category.Name, Category.Integration)]
[Trait(Category.Name, Category.Storage)]
public sealed class WxrRoundTripTests : IAsyncLifetime
{
    private ImportHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await ImportHarness.CreateAsync();

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task ExportThenImport_IntoEmptySite_HoldsTheSameContent()
    {
        var source = await _harness.CreateSiteAsync("source", "America/Los_Angeles");
        await _harness.ImportAsync(source, WxrFiles.ThemeUnitTestData);
        var copy = await _harness.CreateSiteAsync("copy", "Asia/Tokyo");

        // The command writes the file, as an operator would.
        var file = Path.Combine(_harness.Files, "source.xml");
        var exported = await CliRunner.RunAsync(_harness.Store, "export", "wxr", "--site", "source", file);
        Assert.Equal(0, exported.ExitCode);
        Assert.Matches(@"^exported source to .+source\.xml: 2 authors, \d+ categories, \d+ tags, \d+ items, \d+ comments$", exported.Out.Trim());
        // The source's authors are users of this server but not members of the copy, and an import never adds such a
        // user to a site: the operator makes them members first, as they would to keep the authorship.
        await using (var scope = _harness.Services.Scope())
        {
            var directory = scope.ServiceProvider.GetRequiredService<SiteDirectory>();
            foreach (var member in await directory.MembersOfAsync(source.Id))
                Assert.True((await directory.SetMemberAsync(copy, member.Login, member.Role)).Succeeded);
        }
        var report = await _harness.ImportAsync(copy, file);

        Assert.Equal("1.2", report.Version);
        var a = await LoadAsync(source);
        var b = await LoadAsync(copy);
        // The copy's import keys say which of its posts and comments came from which of the source's.
        var postMap = b.Keys.Where(k => k.Kind == ImportKinds.Post).ToDictionary(k => long.Parse(k.SourceKey.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture), k => k.LocalId);
        var commentMap = b.Keys.Where(k => k.Kind == ImportKinds.Comment).ToDictionary(k => long.Parse(k.SourceKey.Split('@')[0], System.Globalization.CultureInfo.InvariantCulture), k => k.LocalId);
        Assert.Equal(a.Posts.Count, b.Posts.Count);
        Assert.Equal(a.Posts.Select(p => p.Id).Order(), postMap.Keys.Order());

        foreach (var p in a.Posts)
        {
            var q = b.Posts.Single(x => x.Id == postMap[p.Id]);
            Assert.Equal(
                (p.Type, p.Status, p.Title, p.Content, p.Excerpt, p.Slug, p.DateUtc, p.ModifiedUtc, p.MenuOrder, p.Sticky, p.CommentStatus, p.PingStatus, p.Format, p.Password, p.MimeType, p.Guid, p.CommentCount),
                (q.Type, q.Status, q.Title, q.Content, q.Excerpt, q.Slug, q.DateUtc, q.ModifiedUtc, q.MenuOrder, q.Sticky, q.CommentStatus, q.PingStatus, q.Format, q.Password, q.MimeType, q.Guid, q.CommentCount));
            Assert.Equal(p.ParentId is { } parent ? postMap[parent] : null, q.ParentId);
            Assert.Equal(a.Logins[p.AuthorId ?? 0], b.Logins[q.AuthorId ?? 0]);
            Assert.Equal(a.TermsOf(p.Id), b.TermsOf(q.Id));
            Assert.Equal(a.MetaOf(p.Id), b.MetaOf(q.Id));
            Assert.Equal(a.MediaOf(p.Id), b.MediaOf(q.Id));
        }

        Assert.Equal(a.Terms.Select(TermFacts(a)).Order(), b.Terms.Select(TermFacts(b)).Order());
        Assert.Equal(a.Comments.Count, b.Comments.Count);
        foreach (var c in a.Comments)
        {
            var d = b.Comments.Single(x => x.Id == commentMap[c.Id]);
            Assert.Equal(
                (postMap[c.PostId], c.ParentId is { } parent ? commentMap[parent] : (long?)null, c.AuthorName, c.AuthorEmail, c.AuthorUrl, c.AuthorIp, c.DateUtc, c.Content, c.Status, c.Type),
                (d.PostId, d.ParentId, d.AuthorName, d.AuthorEmail, d.AuthorUrl, d.AuthorIp, d.DateUtc, d.Content, d.Status, d.Type));
        }
        Assert.Contains(a.Comments, c => c.ParentId is not null);
        Assert.Contains(a.Comments, c => c.Status == CommentStatuses.Hold);
        Assert.Contains(a.Posts, p => p.ParentId is not null && p.Type == PostTypes.Page);
    }

    [Fact]
    public async Task ExportThenImport_SpamAndTrashComments_KeepTheirStatus()
    {
        var source = await _harness.CreateSiteAsync("source");
        await _harness.ImportAsync(source, _harness.Write("c.xml", WxrFiles.Wxr(WxrFiles.Alice + WxrFiles.Item(1, "Busy", "busy",
            WxrReimportTests.Comment(1, 0, "spam", "Buy now") + WxrReimportTests.Comment(2, 0, "trash", "Gone") + WxrReimportTests.Comment(3, 1, "1", "Reply")))));
        var copy = await _harness.CreateSiteAsync("copy");
        var file = Path.Combine(_harness.Files, "out.xml");
        await using (var output = File.Create(file))
        await using (var scope = _harness.Services.Scope())
            await scope.ServiceProvider.GetRequiredService<WxrExporter>().ExportAsync(source, output);

        await _harness.ImportAsync(copy, file);

        var comments = await _harness.WithDbAsync(db => db.Comments.Where(c => c.SiteId == copy.Id).OrderBy(c => c.Id).ToListAsync());
        Assert.Equal([CommentStatuses.Spam, CommentStatuses.Trash, CommentStatuses.Approved], comments.Select(c => c.Status));
        Assert.Equal(comments[0].Id, comments[2].ParentId);
    }

    private static Func<Term, string> TermFacts(SiteContent s) => t =>
        $"{t.Taxonomy}|{t.Slug}|{t.Name}|{t.Description}|{(t.ParentId is { } p ? s.Terms.Single(x => x.Id == p).Slug : "")}";

    private Task<SiteContent> LoadAsync(Site site) => _harness.WithDbAsync(async db => new SiteContent(
        await db.Posts.AsNoTracking().Where(p => p.SiteId == site.Id).ToListAsync(),
        await db.Terms.AsNoTracking().Where(t => t.SiteId == site.Id).ToListAsync(),
        await db.PostTerms.AsNoTracking().Where(t => t.SiteId == site.Id).ToListAsync(),
        await db.PostMeta.AsNoTracking().Where(m => m.SiteId == site.Id).OrderBy(m => m.Id).ToListAsync(),
        await db.MediaFiles.AsNoTracking().Where(m => m.SiteId == site.Id).ToListAsync(),
        await db.Comments.AsNoTracking().Where(c => c.SiteId == site.Id).ToListAsync(),
        await db.ImportKeys.AsNoTracking().Where(k => k.SiteId == site.Id).ToListAsync(),
        await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.UserName ?? "")));

    private sealed record SiteContent(List<Post> Posts, List<Term> Terms, List<PostTerm> PostTerms, List<PostMeta> Meta, List<MediaFile> Media, List<Comment> Comments, List<ImportKey> Keys, Dictionary<long, string> Users)
    {
        public Dictionary<long, string> Logins { get; } = new(Users) { [0] = "" };

        public List<string> TermsOf(long postId) =>
            PostTerms.Where(pt => pt.PostId == postId).Select(pt => Terms.Single(t => t.Id == pt.TermId)).Select(t => t.Taxonomy + ":" + t.Slug).Order().ToList();

        public List<string> MetaOf(long postId) => Meta.Where(m => m.PostId == postId).Select(m => m.Key + "=" + m.Value).ToList();

        public string MediaOf(long postId) => Media.SingleOrDefault(m => m.PostId == postId) is { } m ? $"{m.SourceUrl}|{m.FileName}|{m.AltText}" : "";
    }
}
