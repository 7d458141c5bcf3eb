using System.Net;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Content;
using PressMcp.Content.Authoring;

namespace PressMcp.Tests.Content.Moderation;

/// <summary>
/// The Categories and Tags pages as each role: lists with published-post counts, search and paging; create, edit
/// (a category never under itself) and delete (posts kept, the default category given to a post left without one,
/// the default itself kept); a contributor is refused and nothing changes.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class TermsPageTests : IAsyncLifetime
{
    private const string Categories = ModerationSite.Path + "/categories";
    private const string Tags = ModerationSite.Path + "/tags";
    private ModerationSite _site = null!;

    public async ValueTask InitializeAsync() => _site = await ModerationSite.StartAsync();

    public async ValueTask DisposeAsync() => await _site.DisposeAsync();

    private Task<List<(long Id, string Name, string Slug, long? Parent)>> TermsAsync(string taxonomy) => _site.DbAsync(async db =>
        (await db.Terms.Where(t => t.SiteId == _site.Site.Id && t.Taxonomy == taxonomy).OrderBy(t => t.Id).Select(t => new { t.Id, t.Name, t.Slug, t.ParentId }).ToListAsync())
        .Select(t => (t.Id, t.Name, t.Slug, t.ParentId)).ToList());

    [Fact]
    public async Task List_Editor_ShowsPublishedCounts_Search_AndPaging()
    {
        var veg = await _site.Seed.TermAsync(_site.Site, Taxonomies.Category, "Vegetables");
        var fruit = await _site.Seed.TermAsync(_site.Site, Taxonomies.Category, "Fruit");
        for (var i = 0; i < 22; i++) await _site.Seed.TermAsync(_site.Site, Taxonomies.Category, $"Zone {i:00}");
        await _site.Seed.PublishedAsync(_site.Site, "Beans", DateTime.UtcNow.AddDays(-2), terms: [veg.Id]);
        await _site.Seed.PublishedAsync(_site.Site, "Peas", DateTime.UtcNow.AddDays(-1), terms: [veg.Id, fruit.Id]);
        await _site.Seed.PostAsync(_site.Site, new NewPost { Title = "Draft", TermIds = [veg.Id] });
        var ed = await _site.ClientAsync("ed");

        var page = await _site.PageAsync(ed, Categories);
        var rows = page.QuerySelectorAll("tr[data-term]").Select(r => (r.QuerySelector("strong")!.TextContent, r.QuerySelector("[data-count]")!.TextContent)).ToList();
        Assert.Equal(20, rows.Count);
        Assert.Equal([("Fruit", "1"), ("Vegetables", "2")], rows.Take(2));
        var second = await _site.PageAsync(ed, Categories + "?paged=2");
        Assert.Equal(["Zone 18", "Zone 19", "Zone 20", "Zone 21"], second.QuerySelectorAll("tr[data-term] strong").Select(s => s.TextContent));
        var found = await _site.PageAsync(ed, Categories + "?q=VEG");
        Assert.Equal(["Vegetables"], found.QuerySelectorAll("tr[data-term] strong").Select(s => s.TextContent));
    }

    [Fact]
    public async Task CreateAndEdit_Administrator_WithParent_AndNeverUnderItself()
    {
        var alice = await _site.ClientAsync("alice");
        var created = await ModerationSite.PostAsync(alice, Categories + "?handler=create", new() { ["name"] = "Vegetables", ["description"] = "Things to eat" });
        Assert.Equal(HttpStatusCode.SeeOther, created.StatusCode);
        var veg = (await TermsAsync(Taxonomies.Category)).Single();
        await ModerationSite.PostAsync(alice, Categories + "?handler=create", new() { ["name"] = "Beans", ["termSlug"] = "beans", ["parent"] = veg.Id.ToString() });
        var beans = (await TermsAsync(Taxonomies.Category)).Single(t => t.Name == "Beans");
        Assert.Equal(veg.Id, beans.Parent);

        await ModerationSite.PostAsync(alice, Categories + "?handler=update", new() { ["id"] = veg.Id.ToString(), ["name"] = "Greens", ["termSlug"] = "greens", ["parent"] = beans.Id.ToString() });
        var page = await _site.PageAsync(alice, Categories);
        Assert.Contains("cannot become its own ancestor", page.QuerySelector("p.error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal((veg.Id, "Vegetables", "vegetables", (long?)null), (await TermsAsync(Taxonomies.Category)).Single(t => t.Id == veg.Id));

        await ModerationSite.PostAsync(alice, Categories + "?handler=update", new() { ["id"] = veg.Id.ToString(), ["name"] = "Greens", ["termSlug"] = "greens", ["parent"] = "0", ["description"] = "" });
        Assert.Equal((veg.Id, "Greens", "greens", (long?)null), (await TermsAsync(Taxonomies.Category)).Single(t => t.Id == veg.Id));
        var edit = await _site.PageAsync(alice, $"{Categories}?edit={beans.Id}");
        Assert.Equal("Beans", edit.QuerySelector("#edit-name")!.GetAttribute("value"));
        Assert.Equal(veg.Id.ToString(), edit.QuerySelector("#edit-parent option[selected]")!.GetAttribute("value"));
        Assert.Equal([("alice", "categories: create", CallOutcome.Succeeded), ("alice", "categories: create", CallOutcome.Succeeded),
            ("alice", "categories: edit", CallOutcome.Invalid), ("alice", "categories: edit", CallOutcome.Succeeded)], await _site.BrowserActivityAsync());
    }

    [Fact]
    public async Task Delete_KeepsPosts_GivesTheDefaultCategory_AndTheDefaultCannotGo()
    {
        var uncategorized = await _site.Seed.TermAsync(_site.Site, Taxonomies.Category, "Uncategorized");
        var veg = await _site.Seed.TermAsync(_site.Site, Taxonomies.Category, "Vegetables");
        var fruit = await _site.Seed.TermAsync(_site.Site, Taxonomies.Category, "Fruit");
        var beans = await _site.Seed.TermAsync(_site.Site, Taxonomies.Category, "Beans", veg.Id);
        var only = await _site.Seed.PublishedAsync(_site.Site, "Only veg", DateTime.UtcNow, terms: [veg.Id]);
        var both = await _site.Seed.PublishedAsync(_site.Site, "Veg and fruit", DateTime.UtcNow, terms: [veg.Id, fruit.Id]);
        var alice = await _site.ClientAsync("alice");

        Assert.Null((await _site.PageAsync(alice, Categories)).QuerySelector($"tr[data-term='{uncategorized.Id}'] details"));
        await ModerationSite.PostAsync(alice, Categories + "?handler=delete", new() { ["id"] = veg.Id.ToString() });
        var page = await _site.PageAsync(alice, Categories);
        Assert.Equal("Category 'Vegetables' is deleted; 2 posts kept, 1 of them moved to the default category.", page.QuerySelector("p.notice")!.TextContent);
        var links = await _site.DbAsync(db => db.PostTerms.Where(pt => pt.SiteId == _site.Site.Id).OrderBy(pt => pt.PostId).ThenBy(pt => pt.TermId).Select(pt => new { pt.PostId, pt.TermId }).ToListAsync());
        Assert.Equal([(only.Id, uncategorized.Id), (both.Id, fruit.Id)], links.Select(l => (l.PostId, l.TermId)).OrderBy(l => l.PostId).ThenBy(l => l.TermId));
        Assert.Null((await TermsAsync(Taxonomies.Category)).Single(t => t.Id == beans.Id).Parent);

        // The default category, here by the option: refused, nothing changed.
        await _site.Seed.SetOptionAsync(_site.Site, TermEditor.DefaultCategoryOption, fruit.Id.ToString());
        await ModerationSite.PostAsync(alice, Categories + "?handler=delete", new() { ["id"] = fruit.Id.ToString() });
        Assert.Contains("default category, which cannot be deleted", (await _site.PageAsync(alice, Categories)).QuerySelector("p.error")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(await TermsAsync(Taxonomies.Category), t => t.Id == fruit.Id);
    }

    [Fact]
    public async Task Tags_Editor_CreatesRenamesAndDeletes_PostsKept()
    {
        var ed = await _site.ClientAsync("ed");
        await ModerationSite.PostAsync(ed, Tags + "?handler=create", new() { ["name"] = "summer" });
        var tag = (await TermsAsync(Taxonomies.Tag)).Single();
        var post = await _site.Seed.PublishedAsync(_site.Site, "Hot", DateTime.UtcNow, terms: [tag.Id]);
        await ModerationSite.PostAsync(ed, Tags + "?handler=update", new() { ["id"] = tag.Id.ToString(), ["name"] = "Summer", ["termSlug"] = "summer-time" });
        Assert.Equal((tag.Id, "Summer", "summer-time", (long?)null), (await TermsAsync(Taxonomies.Tag)).Single());
        Assert.Equal("1", (await _site.PageAsync(ed, Tags)).QuerySelector($"tr[data-term='{tag.Id}'] [data-count]")!.TextContent);
        await ModerationSite.PostAsync(ed, Tags + "?handler=delete", new() { ["id"] = tag.Id.ToString() });
        Assert.Empty(await TermsAsync(Taxonomies.Tag));
        Assert.True(await _site.DbAsync(db => db.Posts.AnyAsync(p => p.SiteId == _site.Site.Id && p.Id == post.Id)));
    }

    [Fact]
    public async Task Contributor_IsRefused_EveryPageAndAction_AndNothingChanges()
    {
        var veg = await _site.Seed.TermAsync(_site.Site, Taxonomies.Category, "Vegetables");
        var co = await _site.ClientAsync("co");
        foreach (var path in new[] { Categories, Tags })
        {
            var get = await co.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await ModerationSite.PostAsync(co, path + "?handler=create", new() { ["name"] = "New" })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await ModerationSite.PostAsync(co, Categories + "?handler=update", new() { ["id"] = veg.Id.ToString(), ["name"] = "Renamed" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ModerationSite.PostAsync(co, Categories + "?handler=delete", new() { ["id"] = veg.Id.ToString() })).StatusCode);
        Assert.Equal([(veg.Id, "Vegetables", "vegetables", (long?)null)], await TermsAsync(Taxonomies.Category));
        Assert.Empty(await TermsAsync(Taxonomies.Tag));
        Assert.Empty(await _site.BrowserActivityAsync());
    }
}
