using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Content.Search;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Content;

/// <summary>The one search service, on SQLite (FTS5) and PostgreSQL (tsvector): the same sets and top hits.</summary>
[Trait(Category.Name, Category.Storage)]
public sealed class SearchTests : IAsyncLifetime
{
    private TestServices _services = null!;
    private Site _site = null!;
    private long _author, _other, _editor;

    public async ValueTask InitializeAsync()
    {
        _services = await TestServices.CreateAsync();
        await using var scope = _services.Scope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        _author = (await accounts.CreateAsync(new NewUser("writer", "w@example.com", "correct horse battery"))).Value!.Id;
        _other = (await accounts.CreateAsync(new NewUser("other", "o@example.com", "correct horse battery"))).Value!.Id;
        _editor = (await accounts.CreateAsync(new NewUser("boss", "b@example.com", "correct horse battery"))).Value!.Id;
        var sites = scope.ServiceProvider.GetRequiredService<SiteDirectory>();
        _site = (await sites.CreateAsync(new NewSite("news", "News", "boss"))).Value!;
        await sites.SetMemberAsync(_site, "writer", Roles.Author);
        await sites.SetMemberAsync(_site, "other", Roles.Author);
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private async Task<Post> AddAsync(NewPost post)
    {
        await using var scope = _services.Scope();
        var created = await new ContentSeed(scope.ServiceProvider).CreateAsync(_site, post);
        Assert.True(created.Succeeded, created.Problem?.Message);
        return created.Value!;
    }

    private async Task<PostPage> SearchAsync(PostQuery query, ReadAccess? reader = null)
    {
        await using var scope = _services.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<PostSearch>().SearchAsync(_site.Id, query, reader ?? ReadAccess.Public);
        Assert.True(result.Succeeded, result.Problem?.Message);
        return result.Value!;
    }

    private static HashSet<string> Titles(PostPage page) => page.Items.Select(p => p.Title).ToHashSet();

    [Fact]
    public async Task Search_FindsSetAndRanksTitleMatchFirst()
    {
        await AddAsync(new NewPost { Title = "Gardening in winter", Content = "<p>Frost and <strong>tomatoes</strong> do not mix.</p>", Status = PostStatuses.Publish, AuthorId = _author });
        await AddAsync(new NewPost { Title = "Tomatoes", Content = "<p>Everything about tomatoes.</p>", Status = PostStatuses.Publish, AuthorId = _author });
        await AddAsync(new NewPost { Title = "Cooking", Content = "Pasta with basil.", Excerpt = "tomatoes sauce", Status = PostStatuses.Publish, AuthorId = _author });
        await AddAsync(new NewPost { Title = "Unrelated", Content = "Nothing here.", Status = PostStatuses.Publish, AuthorId = _author });

        var page = await SearchAsync(new PostQuery { Text = "tomatoes" });
        Assert.Equal(new HashSet<string> { "Gardening in winter", "Tomatoes", "Cooking" }, Titles(page));
        Assert.Equal(3, page.Total);
        Assert.Equal("Tomatoes", page.Items[0].Title);

        // Every word must match; markup is not indexed; query syntax is just words.
        Assert.Equal(new HashSet<string> { "Gardening in winter" }, Titles(await SearchAsync(new PostQuery { Text = "frost tomatoes" })));
        Assert.Empty((await SearchAsync(new PostQuery { Text = "strong" })).Items);
        Assert.Equal(3, (await SearchAsync(new PostQuery { Text = "\"tomatoes\" ( * -" })).Total);
        Assert.Empty((await SearchAsync(new PostQuery { Text = "!!!" })).Items);
    }

    [Fact]
    public async Task Search_IndexFollowsInsertUpdateDelete()
    {
        var post = await AddAsync(new NewPost { Title = "Original headline", Status = PostStatuses.Publish, AuthorId = _author });
        Assert.Single((await SearchAsync(new PostQuery { Text = "headline" })).Items);

        await using (var scope = _services.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            var row = await db.Posts.SingleAsync(p => p.SiteId == _site.Id && p.Id == post.Id);
            row.Title = "Renamed story";
            await db.SaveChangesAsync();
        }
        Assert.Empty((await SearchAsync(new PostQuery { Text = "headline" })).Items);
        Assert.Single((await SearchAsync(new PostQuery { Text = "renamed" })).Items);

        await using (var scope = _services.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            await db.Posts.Where(p => p.SiteId == _site.Id && p.Id == post.Id).ExecuteDeleteAsync();
        }
        Assert.Empty((await SearchAsync(new PostQuery { Text = "renamed" })).Items);
    }

    [Fact]
    public async Task Search_NeverShowsWhatTheReaderMayNotRead()
    {
        await AddAsync(new NewPost { Title = "Secret published", Status = PostStatuses.Publish, AuthorId = _other });
        await AddAsync(new NewPost { Title = "Secret draft of other", Status = PostStatuses.Draft, AuthorId = _other });
        await AddAsync(new NewPost { Title = "Secret private of other", Status = PostStatuses.Private, AuthorId = _other });
        await AddAsync(new NewPost { Title = "Secret own draft", Status = PostStatuses.Draft, AuthorId = _author });
        await AddAsync(new NewPost { Title = "Secret own private", Status = PostStatuses.Private, AuthorId = _author });
        var trashed = await AddAsync(new NewPost { Title = "Secret trashed", Status = PostStatuses.Publish, AuthorId = _author });
        await using (var scope = _services.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            await db.Posts.Where(p => p.SiteId == _site.Id && p.Id == trashed.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, PostStatuses.Trash));
        }

        var query = new PostQuery { Text = "secret" };
        Assert.Equal(new HashSet<string> { "Secret published" }, Titles(await SearchAsync(query)));

        var author = ReadAccess.For(new SiteActor(_author, false, Roles.Author));
        Assert.Equal(new HashSet<string> { "Secret published", "Secret own draft", "Secret own private" }, Titles(await SearchAsync(query, author)));

        var editor = ReadAccess.For(new SiteActor(_editor, false, Roles.Editor));
        Assert.Equal(new HashSet<string> { "Secret published", "Secret draft of other", "Secret private of other", "Secret own draft", "Secret own private" }, Titles(await SearchAsync(query, editor)));

        // Asking for a status narrows; it never widens past what the reader may see.
        Assert.Equal(new HashSet<string> { "Secret own draft" }, Titles(await SearchAsync(query with { Statuses = [PostStatuses.Draft] }, author)));
        Assert.Empty((await SearchAsync(query with { Statuses = [PostStatuses.Trash] }, editor)).Items);
        var subscriber = ReadAccess.For(new SiteActor(_author, false, Roles.Subscriber));
        Assert.Equal(new HashSet<string> { "Secret published", "Secret own private" }, Titles(await SearchAsync(query, subscriber)));
    }

    [Fact]
    public async Task Search_PostsAndPages_EachTypeKeepsItsOwnRule_OnEveryPath()
    {
        // An author may read their own draft posts but no draft page, so what is hidden differs by type. Each type's
        // statuses must stay grouped with that type in the index's expression (FTS5 reads AND tighter than OR): once
        // they were not, and the page's hidden draft status hid the author's own draft posts as well.
        await AddAsync(new NewPost { Title = "Lantern own draft post", Status = PostStatuses.Draft, AuthorId = _author });
        await AddAsync(new NewPost { Title = "Lantern own draft page", Type = PostTypes.Page, Status = PostStatuses.Draft, AuthorId = _author });
        await AddAsync(new NewPost { Title = "Lantern published page", Type = PostTypes.Page, Status = PostStatuses.Publish, AuthorId = _editor });
        await AddAsync(new NewPost { Title = "Lantern draft of other", Status = PostStatuses.Draft, AuthorId = _other });
        var author = ReadAccess.For(new SiteActor(_author, false, Roles.Author));
        var query = new PostQuery { Text = "lantern", Types = [PostTypes.Post, PostTypes.Page] };
        var expected = new HashSet<string> { "Lantern own draft post", "Lantern published page" };

        Assert.Equal(expected, Titles(await SearchAsync(query, author)));
        Assert.Equal(expected, Titles(await SearchLargeAsync(query, author, rankAllLimit: 0)));
        Assert.Equal(expected, Titles(await SearchAsync(query with { AfterUtc = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc) }, author)));
    }

    [Fact]
    public async Task Search_VisibilityFollowsStatusAuthorAndUserChanges_OnEveryPath()
    {
        var draft = await AddAsync(new NewPost { Title = "Harbour draft", Status = PostStatuses.Draft, AuthorId = _author });
        var published = await AddAsync(new NewPost { Title = "Harbour news", Status = PostStatuses.Publish, AuthorId = _other });
        var odd = await AddAsync(new NewPost { Title = "Harbour odd", Status = PostStatuses.Publish, AuthorId = _other });
        await AddAsync(new NewPost { Title = "Harbour page", Type = PostTypes.Page, Status = PostStatuses.Publish, AuthorId = _other });
        var author = ReadAccess.For(new SiteActor(_author, false, Roles.Author));
        var editor = ReadAccess.For(new SiteActor(_editor, false, Roles.Editor));
        var query = new PostQuery { Text = "harbour" };

        // The same sets whether every match is ranked, the match set is "large" (tiers read from the index alone), or a
        // filter on the posts row joins it.
        async Task<HashSet<string>> FoundAsync(ReadAccess reader)
        {
            var ranked = Titles(await SearchAsync(query, reader));
            var large = await SearchLargeAsync(query, reader, rankAllLimit: 0);
            Assert.Equal(ranked, Titles(large));
            Assert.Equal(ranked.Count, large.Total);
            Assert.Equal(ranked, Titles(await SearchAsync(query with { AfterUtc = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc) }, reader)));
            return ranked;
        }
        Assert.Equal(new HashSet<string> { "Harbour draft", "Harbour news", "Harbour odd" }, await FoundAsync(author));
        Assert.Equal(new HashSet<string> { "Harbour news", "Harbour odd" }, await FoundAsync(ReadAccess.Public));

        await using (var scope = _services.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            // In bulk SQL, past any service: the draft changes hands, the published post goes back to draft, and one
            // post gets a status the server does not know (an import of a plugin's status, say).
            await db.Posts.Where(p => p.SiteId == _site.Id && p.Id == draft.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.AuthorId, _other));
            await db.Posts.Where(p => p.SiteId == _site.Id && p.Id == published.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, PostStatuses.Draft));
            await db.Posts.Where(p => p.SiteId == _site.Id && p.Id == odd.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, "wc-on-hold"));
        }
        Assert.Empty(await FoundAsync(author));
        Assert.Empty(await FoundAsync(ReadAccess.Public));
        Assert.Equal(new HashSet<string> { "Harbour draft", "Harbour news" }, await FoundAsync(editor));

        await using (var scope = _services.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            await db.Posts.Where(p => p.SiteId == _site.Id && p.Id == draft.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.AuthorId, _author));
        }
        Assert.Equal(new HashSet<string> { "Harbour draft" }, await FoundAsync(author));

        // Deleting the author leaves the post without one (ON DELETE SET NULL), and the index follows: nobody may read
        // it as its own any more, whoever gets that user id later.
        await using (var scope = _services.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            await db.Users.Where(u => u.Id == _author).ExecuteDeleteAsync();
            Assert.Null(await db.Posts.Where(p => p.SiteId == _site.Id && p.Id == draft.Id).Select(p => p.AuthorId).SingleAsync());
        }
        Assert.Empty(await FoundAsync(author));
        Assert.Equal(new HashSet<string> { "Harbour draft", "Harbour news" }, await FoundAsync(editor));
        Assert.Equal(new HashSet<string> { "Harbour page" }, Titles(await SearchLargeAsync(query with { Types = [PostTypes.Page] }, editor, rankAllLimit: 0)));
    }

    [Fact]
    public async Task Search_ProtectedPost_MatchedByItsHiddenWordsOnlyForThoseWhoMayEditIt_OnEveryPath()
    {
        var locked = await AddAsync(new NewPost { Title = "Lighthouse diary", Content = "The keeper hides a zeppelin.", Excerpt = "A quiet zeppelin", Status = PostStatuses.Publish, AuthorId = _other });
        var own = await AddAsync(new NewPost { Title = "Lighthouse own", Content = "My zeppelin too.", Status = PostStatuses.Publish, AuthorId = _author });
        await AddAsync(new NewPost { Title = "Zeppelin history", Content = "Airships.", Status = PostStatuses.Publish, AuthorId = _other });
        async Task SetPasswordAsync(long id, string password)
        {
            // In bulk SQL, past any service: the index follows the password (SQLite's update trigger).
            await using var scope = _services.Scope();
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            await db.Posts.Where(p => p.SiteId == _site.Id && p.Id == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Password, password));
        }
        await SetPasswordAsync(locked.Id, "open sesame");
        await SetPasswordAsync(own.Id, "open sesame");

        // The same sets whether every match is ranked, the match set is "large" (tiers from the index alone, or one
        // statement when a filter on the posts row joins it), or a filter joins the posts row.
        async Task<HashSet<string>> FoundAsync(string text, ReadAccess reader)
        {
            var query = new PostQuery { Text = text };
            var filtered = query with { AfterUtc = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc) };
            var ranked = Titles(await SearchAsync(query, reader));
            var large = await SearchLargeAsync(query, reader, rankAllLimit: 0);
            Assert.Equal(ranked, Titles(large));
            Assert.Equal(ranked.Count, large.Total);
            Assert.Equal(ranked, Titles(await SearchAsync(filtered, reader)));
            Assert.Equal(ranked, Titles(await SearchLargeAsync(filtered, reader, rankAllLimit: 0)));
            return ranked;
        }
        var contributor = ReadAccess.For(new SiteActor(_author, false, Roles.Contributor));
        var author = ReadAccess.For(new SiteActor(_author, false, Roles.Author));
        var editor = ReadAccess.For(new SiteActor(_editor, false, Roles.Editor));

        // Visitors and a contributor (who may not edit even their own published post) find protected posts by title only.
        Assert.Equal(new HashSet<string> { "Zeppelin history" }, await FoundAsync("zeppelin", ReadAccess.Public));
        Assert.Equal(new HashSet<string> { "Zeppelin history" }, await FoundAsync("zeppelin", contributor));
        Assert.Empty(await FoundAsync("lighthouse quiet", ReadAccess.Public));
        Assert.Equal(new HashSet<string> { "Lighthouse diary", "Lighthouse own" }, await FoundAsync("lighthouse", ReadAccess.Public));
        Assert.Equal(new HashSet<string> { "Lighthouse diary", "Lighthouse own" }, await FoundAsync("lighthouse", contributor));
        // An author may edit their own published post, an editor every post: their hidden words find them.
        Assert.Equal(new HashSet<string> { "Zeppelin history", "Lighthouse own" }, await FoundAsync("zeppelin", author));
        Assert.Equal(new HashSet<string> { "Zeppelin history", "Lighthouse own", "Lighthouse diary" }, await FoundAsync("zeppelin", editor));

        // Without its password the post is found by its words again.
        await SetPasswordAsync(locked.Id, "");
        Assert.Equal(new HashSet<string> { "Zeppelin history", "Lighthouse diary" }, await FoundAsync("zeppelin", ReadAccess.Public));
    }

    [Fact]
    public async Task Search_WordsNeverMatchTheIndexsOwnTokens()
    {
        await AddAsync(new NewPost { Title = "Plain", Content = "Nothing to see.", Status = PostStatuses.Publish, AuthorId = _author });
        // The facets column holds type, status and author tokens behind a private-use character; no query reaches them.
        foreach (var text in new[] { "tpost", "spublish", "\uE000tpost", "\uE000spublish", "facets", "a" + _author, "\uE000a" + _author })
        {
            Assert.Empty((await SearchAsync(new PostQuery { Text = text })).Items);
            Assert.Empty((await SearchLargeAsync(new PostQuery { Text = text }, rankAllLimit: 0)).Items);
        }
    }

    /// <summary>Categories Food and its child Fruit, and the tag Summer.</summary>
    private async Task<(Term Food, Term Fruit, Term Summer)> FoodTermsAsync(ContentSeed writer)
    {
        var food = (await writer.EnsureTermAsync(_site, Taxonomies.Category, "Food")).Value!;
        var fruit = (await writer.EnsureTermAsync(_site, Taxonomies.Category, "Fruit", food.Id)).Value!;
        return (food, fruit, (await writer.EnsureTermAsync(_site, Taxonomies.Tag, "Summer")).Value!);
    }

    [Fact]
    public async Task Search_FiltersAndPages()
    {
        await using var scope = _services.Scope();
        var (food, fruit, tag) = await FoodTermsAsync(new ContentSeed(scope.ServiceProvider));
        var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 12; i++)
        {
            await AddAsync(new NewPost
            {
                Title = $"Recipe {i:D2}",
                Content = "A simple recipe.",
                Status = PostStatuses.Publish,
                AuthorId = i % 2 == 0 ? _author : _other,
                DateUtc = t0.AddDays(i),
                TermIds = i < 3 ? [fruit.Id] : i < 6 ? [food.Id, tag.Id] : [],
                Meta = i == 7 ? [new("difficulty", "hard")] : [new("difficulty", "easy")],
            });
        }
        await AddAsync(new NewPost { Title = "About recipes", Type = PostTypes.Page, Content = "recipe page", Status = PostStatuses.Publish, AuthorId = _editor });

        var all = await SearchAsync(new PostQuery { Text = "recipe", PerPage = 5 });
        Assert.Equal(12, all.Total);
        Assert.Equal(5, all.Items.Count);
        Assert.Equal(3, all.TotalPages);
        var third = await SearchAsync(new PostQuery { Text = "recipe", PerPage = 5, Page = 3 });
        Assert.Equal(2, third.Items.Count);
        Assert.Equal(12, third.Total);
        var beyond = await SearchAsync(new PostQuery { Text = "recipe", PerPage = 5, Page = 9 });
        Assert.Empty(beyond.Items);
        Assert.Equal(12, beyond.Total);

        Assert.Equal(13, (await SearchAsync(new PostQuery { Text = "recipe", Types = [PostTypes.Post, PostTypes.Page], PerPage = 100 })).Total);
        Assert.Equal(new HashSet<string> { "About recipes" }, Titles(await SearchAsync(new PostQuery { Text = "recipe", Types = [PostTypes.Page] })));
        Assert.Equal(6, (await SearchAsync(new PostQuery { Text = "recipe", AuthorId = _author })).Total);
        // A parent category includes its children, as WordPress's cat does.
        Assert.Equal(6, (await SearchAsync(new PostQuery { CategoryId = food.Id })).Total);
        Assert.Equal(3, (await SearchAsync(new PostQuery { CategoryId = fruit.Id })).Total);
        Assert.Equal(3, (await SearchAsync(new PostQuery { TagId = tag.Id, Text = "simple" })).Total);
        Assert.Equal(3, (await SearchAsync(new PostQuery { AfterUtc = t0.AddDays(9) })).Total);
        Assert.Equal(2, (await SearchAsync(new PostQuery { AfterUtc = t0.AddDays(2), BeforeUtc = t0.AddDays(3) })).Total);
        Assert.Equal(new HashSet<string> { "Recipe 07" }, Titles(await SearchAsync(new PostQuery { MetaKey = "difficulty", MetaValue = "hard" })));
        Assert.Equal(12, (await SearchAsync(new PostQuery { MetaKey = "difficulty" })).Total);

        // Without text: newest first; with an explicit order.
        Assert.Equal("Recipe 11", (await SearchAsync(new PostQuery())).Items[0].Title);
        Assert.Equal("Recipe 00", (await SearchAsync(new PostQuery { OrderBy = PostOrder.Date, Ascending = true })).Items[0].Title);
        Assert.Equal("Recipe 00", (await SearchAsync(new PostQuery { OrderBy = PostOrder.Title, Ascending = true })).Items[0].Title);
    }

    [Fact]
    public async Task Search_OtherScriptsAndBadQueries()
    {
        await AddAsync(new NewPost { Title = "Привет мир", Content = "Русский текст", Status = PostStatuses.Publish, AuthorId = _author });
        await AddAsync(new NewPost { Title = "Crème brûlée", Content = "Dessert", Status = PostStatuses.Publish, AuthorId = _author });
        Assert.Single((await SearchAsync(new PostQuery { Text = "привет" })).Items);
        Assert.Single((await SearchAsync(new PostQuery { Text = "Brûlée" })).Items);

        await using var scope = _services.Scope();
        var search = scope.ServiceProvider.GetRequiredService<PostSearch>();
        Assert.Equal(ErrorKind.Invalid, (await search.SearchAsync(_site.Id, new PostQuery { PerPage = 101 }, ReadAccess.Public)).Problem?.Kind);
        Assert.Contains("per_page", (await search.SearchAsync(_site.Id, new PostQuery { PerPage = 0 }, ReadAccess.Public)).Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("unknown status", (await search.SearchAsync(_site.Id, new PostQuery { Statuses = ["published"] }, ReadAccess.Public)).Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("unknown post type", (await search.SearchAsync(_site.Id, new PostQuery { Types = ["attachment"] }, ReadAccess.Public)).Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_StopWords_LeftOutUnlessNothingElseIsLeft()
    {
        await AddAsync(new NewPost { Title = "Garden notes", Content = "Roses grow tall.", Status = PostStatuses.Publish, AuthorId = _author });
        await AddAsync(new NewPost { Title = "The garden gate", Content = "It is open.", Status = PostStatuses.Publish, AuthorId = _author });
        await AddAsync(new NewPost { Title = "The Who", Content = "A band.", Status = PostStatuses.Publish, AuthorId = _author });

        // "the" and "of" say nothing: both garden posts are found, though one has neither word.
        Assert.Equal(new HashSet<string> { "Garden notes", "The garden gate" }, Titles(await SearchAsync(new PostQuery { Text = "The garden of" })));
        Assert.Equal(2, (await SearchAsync(new PostQuery { Text = "the garden" })).Total);
        // Nothing but stop words: they are all kept, and every one must match.
        Assert.Equal(new HashSet<string> { "The garden gate", "The Who" }, Titles(await SearchAsync(new PostQuery { Text = "the" })));
        Assert.Equal(new HashSet<string> { "The Who" }, Titles(await SearchAsync(new PostQuery { Text = "The Who" })));
        Assert.Equal(["garden"], new PostQuery { Text = "the garden of the" }.Terms());
    }

    [Fact]
    public async Task Search_TotalAboveTheExactLimit_IsTheLimitAsALowerBound_OnEveryPath()
    {
        await using (var scope = _services.Scope())
        {
            var (food, _, _) = await FoodTermsAsync(new ContentSeed(scope.ServiceProvider));
            for (var i = 0; i < 5; i++)
                await AddAsync(new NewPost { Title = $"Walrus {i}", Content = "walrus", Status = PostStatuses.Publish, AuthorId = _author, TermIds = i < 4 ? [food.Id] : [] });
            // Tiers (large match set), one statement with a filter, and bm25 over every match: each reports 3 as a lower bound.
            foreach (var (query, rankAll) in new[] { (new PostQuery { Text = "walrus" }, 2), (new PostQuery { Text = "walrus", CategoryId = food.Id }, 2), (new PostQuery { Text = "walrus" }, 100),
                (new PostQuery { Text = "walrus", OrderBy = PostOrder.Date }, 2) })
            {
                var page = await SearchLargeAsync(query with { PerPage = 2 }, rankAllLimit: rankAll, exactTotalLimit: 3);
                Assert.Equal(3, page.Total);
                Assert.True(page.TotalIsLowerBound);
                Assert.Equal(2, page.Items.Count);
            }
        }
        // Pages past the bound are still there, and the page before them says so.
        var third = await SearchLargeAsync(new PostQuery { Text = "walrus", PerPage = 2, Page = 2 }, exactTotalLimit: 3);
        Assert.Equal(3, third.TotalPages);
        Assert.Single((await SearchLargeAsync(new PostQuery { Text = "walrus", PerPage = 2, Page = 3 }, exactTotalLimit: 3)).Items);
        // At or under the limit the total is exact.
        var exact = await SearchLargeAsync(new PostQuery { Text = "walrus" }, exactTotalLimit: 5);
        Assert.Equal((5, false), (exact.Total, exact.TotalIsLowerBound));
        // A listing without text is always counted.
        var listing = await SearchLargeAsync(new PostQuery(), exactTotalLimit: 3);
        Assert.Equal((5, false), (listing.Total, listing.TotalIsLowerBound));
    }

    /// <summary>Search with a tiny limit for ranking every match by bm25, so a handful of posts is a "large" match set.</summary>
    private async Task<PostPage> SearchLargeAsync(PostQuery query, ReadAccess? reader = null, int rankAllLimit = 2, int exactTotalLimit = SearchRanking.DefaultExactTotalLimit)
    {
        await using var scope = _services.Scope();
        // A cache of its own: the services' cache holds answers found under the default ranking limits.
        using var cache = new SearchResultCache();
        var search = new PostSearch(scope.ServiceProvider.GetRequiredService<PressDbContext>(), _services.Store.Settings, new SearchRanking(rankAllLimit, exactTotalLimit), cache, scope.ServiceProvider.GetRequiredService<SearchPostings>());
        var result = await search.SearchAsync(_site.Id, query, reader ?? ReadAccess.Public);
        Assert.True(result.Succeeded, result.Problem?.Message);
        return result.Value!;
    }

    [Fact]
    public async Task Search_ManyMatches_TitleAndExcerptMatchesFirstThenContentOnlyNewestFirst()
    {
        var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        // Content full of the word would win under bm25 over every column; above the limit it is a content-only match.
        await AddAsync(new NewPost { Title = "Old notes", Content = "walrus walrus walrus walrus", Status = PostStatuses.Publish, AuthorId = _author, DateUtc = t0 });
        await AddAsync(new NewPost { Title = "Walrus", Content = "A large animal.", Status = PostStatuses.Publish, AuthorId = _author, DateUtc = t0.AddDays(1) });
        await AddAsync(new NewPost { Title = "Middle notes", Content = "One walrus.", Status = PostStatuses.Publish, AuthorId = _author, DateUtc = t0.AddDays(2) });
        await AddAsync(new NewPost { Title = "Seaside", Content = "Rocks.", Excerpt = "A walrus on the rocks", Status = PostStatuses.Publish, AuthorId = _author, DateUtc = t0.AddDays(3) });
        await AddAsync(new NewPost { Title = "New notes", Content = "<p>Another walrus.</p>", Status = PostStatuses.Publish, AuthorId = _author, DateUtc = t0.AddDays(4) });
        await AddAsync(new NewPost { Title = "Walrus draft", Content = "walrus", Status = PostStatuses.Draft, AuthorId = _other, DateUtc = t0.AddDays(5) });
        await AddAsync(new NewPost { Title = "Unrelated", Content = "Nothing.", Status = PostStatuses.Publish, AuthorId = _author, DateUtc = t0.AddDays(6) });
        var everyMatch = new HashSet<string> { "Old notes", "Walrus", "Middle notes", "Seaside", "New notes" };

        var page = await SearchLargeAsync(new PostQuery { Text = "walrus", PerPage = 10 });
        Assert.Equal(everyMatch, Titles(page));
        Assert.Equal(5, page.Total);
        Assert.Equal("Walrus", page.Items[0].Title);
        Assert.Equal(everyMatch, Titles(await SearchAsync(new PostQuery { Text = "walrus" })));

        // Above the limit both engines follow WordPress's rule: the title match, then the excerpt match, then content-only
        // matches, each tier newest first.
        Assert.Equal(["Walrus", "Seaside", "New notes", "Middle notes", "Old notes"], page.Items.Select(p => p.Title));
        // Pages cut anywhere, inside the title matches or past them, keep that order and the exact total.
        var paged = new List<string>();
        for (var n = 1; n <= 3; n++)
        {
            var part = await SearchLargeAsync(new PostQuery { Text = "walrus", PerPage = 2, Page = n });
            Assert.Equal(5, part.Total);
            paged.AddRange(part.Items.Select(p => p.Title));
        }
        Assert.Equal(page.Items.Select(p => p.Title), paged);
        Assert.Equal(["Middle notes", "Old notes"], (await SearchLargeAsync(new PostQuery { Text = "walrus", PerPage = 1, Page = 4 }))
            .Items.Concat((await SearchLargeAsync(new PostQuery { Text = "walrus", PerPage = 1, Page = 5 })).Items).Select(p => p.Title));
        Assert.Empty((await SearchLargeAsync(new PostQuery { Text = "walrus", PerPage = 2, Page = 4 })).Items);

        // Visibility and filters apply to both parts: an editor also finds the draft (a title match), by status only the draft.
        var editor = ReadAccess.For(new SiteActor(_editor, false, Roles.Editor));
        var all = await SearchLargeAsync(new PostQuery { Text = "walrus" }, editor);
        Assert.Equal(6, all.Total);
        Assert.Equal(["Walrus", "Walrus draft"], all.Items.Take(2).Select(p => p.Title).Order());
        Assert.Equal(["Walrus draft"], (await SearchLargeAsync(new PostQuery { Text = "walrus", Statuses = [PostStatuses.Draft] }, editor)).Items.Select(p => p.Title));
        Assert.Equal(["Seaside", "New notes", "Middle notes"], (await SearchLargeAsync(new PostQuery { Text = "walrus", AfterUtc = t0.AddDays(2), BeforeUtc = t0.AddDays(4.5), Statuses = [PostStatuses.Publish] }, editor))
            .Items.Select(p => p.Title));

        // The ordering is chosen by the matches the reader may see, on both engines: five here (the draft is hidden), so
        // a limit of five still ranks every match, as a limit of a hundred does.
        var ranked = (await SearchLargeAsync(new PostQuery { Text = "walrus" }, rankAllLimit: 100)).Items.Select(p => p.Title).ToList();
        Assert.Equal(ranked, (await SearchLargeAsync(new PostQuery { Text = "walrus" }, rankAllLimit: 5)).Items.Select(p => p.Title));
        Assert.NotEqual(ranked, page.Items.Select(p => p.Title));

        // At or under the limit every match is ranked by bm25 over all columns: the content full of the word comes second.
        if (_services.Store.IsPostgres) return;
        var small = await SearchLargeAsync(new PostQuery { Text = "walrus" }, rankAllLimit: 100);
        Assert.Equal(everyMatch, Titles(small));
        Assert.Equal("Walrus", small.Items[0].Title);
        Assert.Equal("Old notes", small.Items[1].Title);
    }

    [Fact]
    public async Task Search_ManyMatches_TiersFollowBulkTitleAndExcerptEdits_OnEveryPath()
    {
        // The tiers and the protected-post rule are tested on what the index keeps of title and excerpt (on PostgreSQL a
        // column of its own, search_head, beside search_vector): edits in bulk SQL, past any service, move posts between tiers.
        // Oldest first: the title-or-excerpt posts are older than content-only ones, so a tier read wrong shows in the order.
        var notes = await AddAsync(new NewPost { Title = "Notes", Content = "One walrus.", Status = PostStatuses.Publish, AuthorId = _author });
        await AddAsync(new NewPost { Title = "Seaside", Excerpt = "A walrus", Content = "Rocks.", Status = PostStatuses.Publish, AuthorId = _author });
        var animal = await AddAsync(new NewPost { Title = "Walrus", Content = "A walrus.", Status = PostStatuses.Publish, AuthorId = _author });
        var locked = await AddAsync(new NewPost { Title = "Locked", Content = "A walrus inside.", Status = PostStatuses.Publish, AuthorId = _other });
        await AddAsync(new NewPost { Title = "Later", Content = "A walrus later.", Status = PostStatuses.Publish, AuthorId = _author });
        async Task<List<string>> OrderAsync()
        {
            var whole = (await SearchLargeAsync(new PostQuery { Text = "walrus" }, rankAllLimit: 0)).Items.Select(p => p.Title).ToList();
            // A filter on the posts row (the tiers then test it on each row, and count), and pages of one: the same order.
            Assert.Equal(whole, (await SearchLargeAsync(new PostQuery { Text = "walrus", AfterUtc = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc) }, rankAllLimit: 0))
                .Items.Select(p => p.Title));
            var paged = new List<string>();
            for (var n = 1; n <= whole.Count; n++)
                paged.AddRange((await SearchLargeAsync(new PostQuery { Text = "walrus", PerPage = 1, Page = n }, rankAllLimit: 0)).Items.Select(p => p.Title));
            Assert.Equal(whole, paged);
            return whole;
        }
        await using (var scope = _services.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            await db.Posts.Where(p => p.SiteId == _site.Id && p.Id == locked.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Password, "open sesame"));
        }
        Assert.Equal(["Walrus", "Seaside", "Later", "Notes"], await OrderAsync());

        await using (var scope = _services.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            await db.Posts.Where(p => p.SiteId == _site.Id && p.Id == animal.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Title, "Animal"));
            await db.Posts.Where(p => p.SiteId == _site.Id && p.Id == notes.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Excerpt, "<em>the walrus</em>"));
            await db.Posts.Where(p => p.SiteId == _site.Id && p.Id == locked.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Title, "Walrus locked"));
        }
        // Its new title finds the protected post for a visitor; the excerpt's word lifts Notes above content-only matches.
        Assert.Equal(["Walrus locked", "Seaside", "Notes", "Later", "Animal"], await OrderAsync());
    }

    [Fact]
    public async Task Search_ManyMatches_EachTierLatestCreatedFirst()
    {
        // "Newest" in a tier is the latest created (highest id), the order the index keeps, not the post date: a post
        // added later with an older date comes first.
        var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await AddAsync(new NewPost { Title = "Walrus one", Status = PostStatuses.Publish, AuthorId = _author, DateUtc = t0.AddDays(5) });
        await AddAsync(new NewPost { Title = "Walrus two", Status = PostStatuses.Publish, AuthorId = _author, DateUtc = t0 });
        await AddAsync(new NewPost { Title = "Notes", Content = "A walrus.", Status = PostStatuses.Publish, AuthorId = _author, DateUtc = t0.AddDays(9) });
        await AddAsync(new NewPost { Title = "Walrus", Excerpt = "and its tusks", Content = "Tusks.", Status = PostStatuses.Publish, AuthorId = _author, DateUtc = t0.AddDays(1) });
        // Every word in title or excerpt, split between them: the second tier.
        await AddAsync(new NewPost { Title = "Tusks", Excerpt = "of a walrus", Status = PostStatuses.Publish, AuthorId = _author, DateUtc = t0.AddDays(2) });

        var page = await SearchLargeAsync(new PostQuery { Text = "walrus tusks" });
        Assert.Equal(["Tusks", "Walrus"], page.Items.Select(p => p.Title));
        Assert.Equal(2, page.Total);
        Assert.Equal(["Walrus", "Walrus two", "Walrus one", "Tusks", "Notes"], (await SearchLargeAsync(new PostQuery { Text = "walrus" })).Items.Select(p => p.Title));
    }

    [Fact]
    public async Task Search_ManyMatches_SameOrderWhicheverStatementReadsIt()
    {
        // Above the ranking limit a page is read by different statements: every match ordered at once when all were counted
        // (on PostgreSQL the count and the page in one statement), the tier walk when there are more than the exact limit,
        // and with a filter besides visibility a statement of its own. Each must give the same order and pages.
        await AddAsync(new NewPost { Title = "Notes", Content = "A walrus.", Status = PostStatuses.Publish, AuthorId = _author });
        await AddAsync(new NewPost { Title = "Walrus", Status = PostStatuses.Publish, AuthorId = _author });
        await AddAsync(new NewPost { Title = "Seaside", Excerpt = "A walrus here", Status = PostStatuses.Publish, AuthorId = _author });
        await AddAsync(new NewPost { Title = "Walrus draft", Status = PostStatuses.Draft, AuthorId = _author });
        await AddAsync(new NewPost { Title = "More notes", Content = "Walrus again.", Status = PostStatuses.Publish, AuthorId = _author });
        await AddAsync(new NewPost { Title = "Walrus again", Status = PostStatuses.Publish, AuthorId = _author });
        string[] order = ["Walrus again", "Walrus", "Seaside", "More notes", "Notes"];

        for (var perPage = 1; perPage <= 3; perPage++)
        {
            var (counted, walked, filtered) = (new List<string>(), new List<string>(), new List<string>());
            for (var n = 1; n <= (order.Length + perPage - 1) / perPage + 1; n++)
            {
                var query = new PostQuery { Text = "walrus", PerPage = perPage, Page = n };
                var all = await SearchLargeAsync(query);
                Assert.Equal((order.Length, false), (all.Total, all.TotalIsLowerBound));
                counted.AddRange(all.Items.Select(p => p.Title));
                var walk = await SearchLargeAsync(query, exactTotalLimit: 3);
                Assert.Equal((3, true), (walk.Total, walk.TotalIsLowerBound));
                walked.AddRange(walk.Items.Select(p => p.Title));
                var byAuthor = await SearchLargeAsync(query with { AuthorId = _author });
                Assert.Equal(order.Length, byAuthor.Total);
                filtered.AddRange(byAuthor.Items.Select(p => p.Title));
            }
            Assert.Equal(order, counted);
            Assert.Equal(order, walked);
            Assert.Equal(order, filtered);
        }
    }

    [Fact]
    public async Task Search_ManyMatches_SeveralWords_TiersInOrderOnEveryPageSize()
    {
        // Several words take the path that reads the first two tiers at once (PostSearch.Large.cs): every page, cut
        // anywhere, keeps title matches, then title-or-excerpt matches, then content-only matches, each newest first.
        await AddAsync(new NewPost { Title = "Walrus tusks", Status = PostStatuses.Publish, AuthorId = _author });
        await AddAsync(new NewPost { Title = "Notes", Content = "A walrus and its tusks.", Status = PostStatuses.Publish, AuthorId = _author });
        await AddAsync(new NewPost { Title = "Tusks", Excerpt = "of a walrus", Status = PostStatuses.Publish, AuthorId = _author });
        await AddAsync(new NewPost { Title = "Walrus tusks again", Status = PostStatuses.Publish, AuthorId = _author });
        await AddAsync(new NewPost { Title = "Walrus tusks draft", Status = PostStatuses.Draft, AuthorId = _author });
        await AddAsync(new NewPost { Title = "More", Content = "Tusks of the walrus.", Status = PostStatuses.Publish, AuthorId = _author });
        await AddAsync(new NewPost { Title = "Walrus", Excerpt = "Its tusks", Status = PostStatuses.Publish, AuthorId = _author });
        await AddAsync(new NewPost { Title = "Other", Content = "A walrus only.", Status = PostStatuses.Publish, AuthorId = _author });
        string[] order = ["Walrus tusks again", "Walrus tusks", "Walrus", "Tusks", "More", "Notes"];

        for (var perPage = 1; perPage <= 4; perPage++)
        {
            var paged = new List<string>();
            for (var n = 1; n <= (order.Length + perPage - 1) / perPage + 1; n++)
            {
                var part = await SearchLargeAsync(new PostQuery { Text = "walrus tusks", PerPage = perPage, Page = n });
                Assert.Equal(order.Length, part.Total);
                paged.AddRange(part.Items.Select(p => p.Title));
            }
            Assert.Equal(order, paged);
        }
        // A page past the first two tiers starts inside the content-only matches; a stop word changes nothing.
        Assert.Equal(["More", "Notes"], (await SearchLargeAsync(new PostQuery { Text = "tusks walrus", Page = 3, PerPage = 2 })).Items.Select(p => p.Title));
        Assert.Equal(order, (await SearchLargeAsync(new PostQuery { Text = "walrus with its tusks" })).Items.Select(p => p.Title));
    }

    [Fact]
    public async Task Search_ManyMatches_CategoryAndTagFiltersKeepOrderAndTotalOnEveryPage()
    {
        await using var scope = _services.Scope();
        var (food, fruit, tag) = await FoodTermsAsync(new ContentSeed(scope.ServiceProvider));
        var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await AddAsync(new NewPost { Title = "Old notes", Content = "walrus walrus walrus", Status = PostStatuses.Publish, AuthorId = _author, DateUtc = t0, TermIds = [fruit.Id] });
        await AddAsync(new NewPost { Title = "Walrus", Content = "A large animal.", Status = PostStatuses.Publish, AuthorId = _author, DateUtc = t0.AddDays(1), TermIds = [fruit.Id, tag.Id] });
        await AddAsync(new NewPost { Title = "Middle notes", Content = "One walrus.", Status = PostStatuses.Publish, AuthorId = _author, DateUtc = t0.AddDays(2) });
        await AddAsync(new NewPost { Title = "Seaside", Content = "Rocks.", Excerpt = "A walrus on the rocks", Status = PostStatuses.Publish, AuthorId = _author, DateUtc = t0.AddDays(3), TermIds = [food.Id] });
        await AddAsync(new NewPost { Title = "New notes", Content = "Another walrus.", Status = PostStatuses.Publish, AuthorId = _author, DateUtc = t0.AddDays(4), TermIds = [food.Id, tag.Id] });
        await AddAsync(new NewPost { Title = "Walrus tales", Content = "Stories.", Status = PostStatuses.Publish, AuthorId = _author, DateUtc = t0.AddDays(5) });
        await AddAsync(new NewPost { Title = "Walrus draft", Content = "walrus", Status = PostStatuses.Draft, AuthorId = _author, DateUtc = t0.AddDays(6), TermIds = [food.Id] });
        await AddAsync(new NewPost { Title = "Fruit salad", Content = "Apples.", Status = PostStatuses.Publish, AuthorId = _author, DateUtc = t0.AddDays(7), TermIds = [fruit.Id, tag.Id] });
        var inFood = new HashSet<string> { "Walrus", "Seaside", "New notes", "Old notes" };

        // A parent category includes its children; the draft and the posts outside the category are not found.
        var page = await SearchLargeAsync(new PostQuery { Text = "walrus", CategoryId = food.Id });
        Assert.Equal(inFood, Titles(page));
        Assert.Equal(4, page.Total);
        Assert.Equal("Walrus", page.Items[0].Title);
        Assert.Equal(inFood, Titles(await SearchAsync(new PostQuery { Text = "walrus", CategoryId = food.Id })));
        var tagged = await SearchLargeAsync(new PostQuery { Text = "walrus", TagId = tag.Id });
        Assert.Equal(new HashSet<string> { "Walrus", "New notes" }, Titles(tagged));
        Assert.Equal(2, tagged.Total);
        Assert.Equal(new HashSet<string> { "Walrus", "Old notes" }, Titles(await SearchLargeAsync(new PostQuery { Text = "walrus", CategoryId = fruit.Id })));

        // The title match in the category first, then the excerpt match, then its content-only matches newest first, on every
        // page: one per page (pages 3 and 4 start past the title matches), and three per page (page 2 starts inside the
        // content-only part).
        string[] order = ["Walrus", "Seaside", "New notes", "Old notes"];
        Assert.Equal(order, page.Items.Select(p => p.Title));
        for (var n = 1; n <= 5; n++)
        {
            var single = await SearchLargeAsync(new PostQuery { Text = "walrus", CategoryId = food.Id, PerPage = 1, Page = n });
            Assert.Equal(4, single.Total);
            Assert.Equal(order.Skip(n - 1).Take(1), single.Items.Select(p => p.Title));
        }
        var second = await SearchLargeAsync(new PostQuery { Text = "walrus", CategoryId = food.Id, PerPage = 3, Page = 2 });
        Assert.Equal(4, second.Total);
        Assert.Equal(["Old notes"], second.Items.Select(p => p.Title));
        Assert.Equal(["Walrus", "New notes"], tagged.Items.Select(p => p.Title));
    }
}
