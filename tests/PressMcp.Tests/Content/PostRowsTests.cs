using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Sites;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Tests.Content;

/// <summary>
/// The plain reads of a results page (posts by id, author names, terms) return exactly what EF Core reads, property
/// for property, on SQLite and PostgreSQL: so a column added to the mapping but not to PostRows fails here.
/// </summary>
[Trait(Category.Name, Category.Storage)]
public sealed class PostRowsTests : IAsyncLifetime
{
    private TestServices _services = null!;
    private Site _site = null!;
    private long _author, _named;

    public async ValueTask InitializeAsync()
    {
        _services = await TestServices.CreateAsync();
        await using var scope = _services.Scope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        _author = (await accounts.CreateAsync(new NewUser("writer", "w@example.com", "correct horse battery"))).Value!.Id;
        _named = (await accounts.CreateAsync(new NewUser("named", "n@example.com", "correct horse battery"))).Value!.Id;
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        await db.Users.Where(u => u.Id == _named).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisplayName, "Ana «Named»"));
        _site = (await scope.ServiceProvider.GetRequiredService<SiteDirectory>().CreateAsync(new NewSite("news", "News", "writer"))).Value!;
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task PostsAuthorsAndTerms_ReadAsEfCoreReadsThem()
    {
        var at = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1_234_560);
        var posts = new[]
        {
            new Post { SiteId = _site.Id, Id = 11, Type = PostTypes.Post, Status = PostStatuses.Publish, Title = "Ünïcode ✓", Content = "<p>Body</p>", Excerpt = "Short",
                Slug = "unicode", AuthorId = _author, DateUtc = at, ModifiedUtc = at.AddDays(1), MenuOrder = 0, Sticky = true, CommentStatus = "closed",
                PingStatus = "open", Format = "aside", Password = "", MimeType = null, Guid = "http://example.test/?p=11", CommentCount = 42 },
            new Post { SiteId = _site.Id, Id = 12, Type = PostTypes.Page, Status = PostStatuses.Draft, Title = "", Content = "", Excerpt = "",
                Slug = "page", AuthorId = null, DateUtc = at.AddYears(-30), ModifiedUtc = at, ParentId = 11, MenuOrder = -3, Sticky = false,
                CommentStatus = "open", PingStatus = "closed", Format = "standard", Password = "secret", MimeType = "text/html", Guid = "g12", CommentCount = 0 },
            new Post { SiteId = _site.Id, Id = 13, Type = PostTypes.Post, Status = "wc-on-hold", Title = "Third", Content = "x", Excerpt = "y",
                Slug = "third", AuthorId = _named, DateUtc = at, ModifiedUtc = at, Guid = "g13" },
        };
        await _services.WithAsync(async sp =>
        {
            var db = sp.GetRequiredService<PressDbContext>();
            db.Posts.AddRange(posts);
            db.Terms.AddRange(
                new Term { SiteId = _site.Id, Id = 5, Taxonomy = Taxonomies.Category, Name = "Food", Slug = "food", Description = "All of it" },
                new Term { SiteId = _site.Id, Id = 6, Taxonomy = Taxonomies.Category, Name = "Fruit", Slug = "fruit", ParentId = 5 },
                new Term { SiteId = _site.Id, Id = 7, Taxonomy = Taxonomies.Tag, Name = "Summer", Slug = "summer" });
            db.PostTerms.AddRange(new PostTerm { SiteId = _site.Id, PostId = 11, TermId = 6 }, new PostTerm { SiteId = _site.Id, PostId = 11, TermId = 7 },
                new PostTerm { SiteId = _site.Id, PostId = 13, TermId = 5 });
            return await db.SaveChangesAsync();
        });

        // In the order asked for, unknown and repeated ids left out or read once.
        long[] ids = [13, 99, 11, 12, 11];
        var plain = await _services.WithAsync(sp => PostRows.ByIdsAsync(sp.GetRequiredService<PressDbContext>(), _site.Id, ids, default));
        var viaEf = await _services.WithAsync(sp => sp.GetRequiredService<PressDbContext>().Posts.AsNoTracking().Where(p => p.SiteId == _site.Id).ToListAsync());
        Assert.Equal([13L, 11L, 12L], plain.Select(p => p.Id));
        foreach (var post in plain)
        {
            var expected = viaEf.Single(p => p.Id == post.Id);
            foreach (var property in typeof(Post).GetProperties())
                Assert.Equal(property.GetValue(expected), property.GetValue(post));
            Assert.Equal(DateTimeKind.Utc, post.DateUtc.Kind);
        }
        Assert.Empty(await _services.WithAsync(sp => PostRows.ByIdsAsync(sp.GetRequiredService<PressDbContext>(), _site.Id, [], default)));

        var names = await _services.WithAsync(sp => UserRows.AuthorNamesAsync(sp.GetRequiredService<PressDbContext>(), [_author, _named, 999_999], default));
        var users = await _services.WithAsync(sp => sp.GetRequiredService<PressDbContext>().Users.AsNoTracking().ToListAsync());
        Assert.Equal(2, names.Count);
        Assert.Equal(users.Single(u => u.Id == _author).DisplayName.Trim().Length > 0 ? users.Single(u => u.Id == _author).DisplayName : "writer", names[_author]);
        Assert.Equal("Ana «Named»", names[_named]);

        var terms = await _services.WithAsync(sp => PostRows.TermsOfAsync(sp.GetRequiredService<PressDbContext>(), _site.Id, [11, 12, 13], default));
        var efTerms = await _services.WithAsync(sp => sp.GetRequiredService<PressDbContext>().Terms.AsNoTracking().Where(t => t.SiteId == _site.Id).ToListAsync());
        Assert.Equal(["11:6", "11:7", "13:5"], terms.Select(t => $"{t.PostId}:{t.Term.Id}").Order());
        foreach (var (_, term) in terms)
        {
            var expected = efTerms.Single(t => t.Id == term.Id);
            foreach (var property in typeof(Term).GetProperties())
                Assert.Equal(property.GetValue(expected), property.GetValue(term));
        }

        // Both in one command: the same rows as the two reads apart, and either list empty.
        static string Text(List<(long PostId, Term Term)> rows) => string.Join(",", rows.Select(r => $"{r.PostId}:{r.Term.Id}:{r.Term.Name}:{r.Term.ParentId}").Order());
        static string Names(Dictionary<long, string> names) => string.Join(",", names.OrderBy(n => n.Key).Select(n => $"{n.Key}={n.Value}"));
        var both = await _services.WithAsync(sp => PostRows.LabelsAsync(sp.GetRequiredService<PressDbContext>(), _site.Id, [11, 12, 13], [_author, _named, 999_999], default));
        Assert.Equal(Text(terms), Text(both.Terms));
        Assert.Equal(Names(names), Names(both.Authors));
        var noAuthors = await _services.WithAsync(sp => PostRows.LabelsAsync(sp.GetRequiredService<PressDbContext>(), _site.Id, [11, 12, 13], [], default));
        Assert.Equal(Text(terms), Text(noAuthors.Terms));
        Assert.Empty(noAuthors.Authors);
        var noTerms = await _services.WithAsync(sp => PostRows.LabelsAsync(sp.GetRequiredService<PressDbContext>(), _site.Id, [12], [_named], default));
        Assert.Empty(noTerms.Terms);
        Assert.Equal($"{_named}=Ana «Named»", Names(noTerms.Authors));
    }

    [Fact]
    public async Task ForExcerpt_ReadsTheContentsStartInCharacters_AndNoContentBesideAnExcerpt()
    {
        var start = HtmlText.ExcerptStart();
        // Two-byte characters in UTF-8 (é) and a character outside the BMP (two UTF-16 units): the start is counted in
        // characters by both engines, so .NET's length is at least the start's whenever the content was cut.
        var accented = string.Concat(Enumerable.Repeat("é", start + 100));
        var astral = string.Concat(Enumerable.Repeat("😀", start + 5));
        var contents = new Dictionary<long, (string Content, string Excerpt)>
        {
            [21] = (accented, ""),
            [22] = (astral, ""),
            [23] = ("<p>Short and whole</p>", ""),
            [24] = (new string('x', start), ""),
            [25] = (accented, "Its own excerpt"),
        };
        await _services.WithAsync(async sp =>
        {
            var db = sp.GetRequiredService<PressDbContext>();
            foreach (var (id, (content, excerpt)) in contents)
                db.Posts.Add(new Post { SiteId = _site.Id, Id = id, Title = $"Post {id}", Content = content, Excerpt = excerpt, Slug = $"p{id}", Guid = $"g{id}", AuthorId = _author });
            return await db.SaveChangesAsync();
        });

        var read = await _services.WithAsync(sp => PostRows.ByIdsAsync(sp.GetRequiredService<PressDbContext>(), _site.Id, [.. contents.Keys], default, PostRead.ForExcerpt));
        var whole = await _services.WithAsync(sp => PostRows.ByIdsAsync(sp.GetRequiredService<PressDbContext>(), _site.Id, [.. contents.Keys], default));
        Assert.Equal(contents.Keys, read.Select(p => p.Id));
        Assert.Equal(accented[..start], read[0].Content);
        Assert.Equal(string.Concat(Enumerable.Repeat("😀", start)), read[1].Content);
        Assert.Equal("<p>Short and whole</p>", read[2].Content);
        Assert.Equal(new string('x', start), read[3].Content);
        Assert.Equal("", read[4].Content);
        Assert.Equal([true, true, false, true, false], read.Select(PostRows.ContentMayBeCut));
        // Every other column as a whole read gives it.
        foreach (var (cut, full) in read.Zip(whole))
            foreach (var property in typeof(Post).GetProperties().Where(p => p.Name != nameof(Post.Content)))
                Assert.Equal(property.GetValue(full), property.GetValue(cut));

        var all = await _services.WithAsync(sp => PostRows.ContentsAsync(sp.GetRequiredService<PressDbContext>(), _site.Id, [21, 22, 25, 99], default));
        Assert.Equal(new Dictionary<long, string> { [21] = accented, [22] = astral, [25] = accented }, all);
    }
}
