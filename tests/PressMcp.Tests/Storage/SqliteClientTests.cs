using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Content.Search;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Storage;

/// <summary>
/// SQLite's schema needs nothing of this application to be written: the <c>sqlite3</c> shell (Debian's is 3.40, older
/// than FTS5's contentless_delete) can insert, update and delete posts, terms and comments, and the full-text index
/// follows. The generated facets column gives the same tokens as <see cref="SearchFacets.Of"/>.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class SqliteClientTests : IAsyncLifetime
{
    private TestServices _services = null!;
    private Site _site = null!;

    public async ValueTask InitializeAsync()
    {
        _services = await TestServices.CreateAsync();
        _site = await _services.CreateNewsSiteAsync();
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task Sqlite3Shell_WritesPostTermAndComment_SucceedsAndIndexFollows()
    {
        Assert.SkipWhen(_services.Store.IsPostgres, "SQLite only (the integration stage runs it)");
        var s = _site.Id;
        await Sqlite3Async($"""
            PRAGMA foreign_keys = ON;
            INSERT INTO posts (site_id, id, type, status, title, content, excerpt, slug, date_utc, modified_utc, menu_order, sticky,
                comment_status, ping_status, format, password, guid, comment_count)
            VALUES ({s}, 900, 'post', 'publish', 'Shell written', '<p>Tamarind</p>', '', 'shell-written', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 0, 0,
                'open', 'open', 'standard', '', '', 0);
            INSERT INTO terms (site_id, id, taxonomy, name, slug, description) VALUES ({s}, 900, 'category', 'Shell', 'shell', '');
            INSERT INTO post_terms (site_id, post_id, term_id) VALUES ({s}, 900, 900);
            INSERT INTO comments (site_id, id, post_id, author_name, author_email, author_url, author_ip, date_utc, content, status, type)
            VALUES ({s}, 900, 900, 'Ann', 'ann@example.com', '', '', '2026-01-01 00:00:00', 'Nice', 'approved', 'comment');
            UPDATE terms SET name = 'Shell two' WHERE site_id = {s} AND id = 900;
            UPDATE comments SET content = 'Nicer' WHERE site_id = {s} AND id = 900;
            """);
        Assert.Equal([900L], await FoundAsync("tamarind"));

        await Sqlite3Async($"UPDATE posts SET content = 'Persimmon', title = 'Shell rewritten' WHERE site_id = {s} AND id = 900;");
        Assert.Empty(await FoundAsync("tamarind"));
        Assert.Equal([900L], await FoundAsync("persimmon"));

        await Sqlite3Async($"""
            PRAGMA foreign_keys = ON;
            DELETE FROM comments WHERE site_id = {s} AND id = 900;
            DELETE FROM terms WHERE site_id = {s} AND id = 900;
            DELETE FROM posts WHERE site_id = {s} AND id = 900;
            """);
        Assert.Empty(await FoundAsync("persimmon"));
        Assert.Empty(await FoundAsync("rewritten"));
        await _services.WithAsync(sp => sp.GetRequiredService<PressDbContext>().Database.ExecuteSqlRawAsync("INSERT INTO posts_fts(posts_fts) VALUES ('integrity-check')"));
    }

    [Fact]
    public async Task SearchFacetsColumn_EveryTypeStatusAuthorAndPassword_SameTokensAsSearchFacetsOf()
    {
        Assert.SkipWhen(_services.Store.IsPostgres, "SQLite only (PostgreSQL's search reads the posts table itself)");
        var boss = await _services.WithAsync(sp => sp.GetRequiredService<PressDbContext>().Users.Where(u => u.UserName == "boss").Select(u => u.Id).SingleAsync());
        string[] types = [.. SearchFacets.IndexedTypes, PostTypes.Attachment, "Post", "custom_type"];
        string[] statuses = [.. PostStatuses.All, PostStatuses.Inherit, "auto-draft", "", "Publish"];
        long?[] authors = [null, boss];
        string[] passwords = ["", "secret"];
        var posts = new List<Post>();
        foreach (var type in types)
            foreach (var status in statuses)
                foreach (var author in authors)
                    foreach (var password in passwords)
                        posts.Add(new Post { SiteId = _site.Id, Id = 1000 + posts.Count, Type = type, Status = status, AuthorId = author, Password = password, Slug = $"p{posts.Count}" });
        await _services.WithAsync(async sp =>
        {
            var db = sp.GetRequiredService<PressDbContext>();
            db.Posts.AddRange(posts);
            return await db.SaveChangesAsync();
        });

        var stored = await _services.WithAsync(sp => sp.GetRequiredService<PressDbContext>().Posts
            .Where(p => p.SiteId == _site.Id && p.Id >= 1000).Select(p => new { p.Id, Facets = EF.Property<string>(p, SearchText.SearchFacetsProperty) })
            .ToDictionaryAsync(p => p.Id, p => p.Facets));
        Assert.Equal(posts.Count, stored.Count);
        foreach (var post in posts)
            Assert.Equal(SearchFacets.Of(post.Type, post.Status, post.AuthorId, post.Password.Length > 0), stored[post.Id]);
    }

    [Fact]
    public async Task SearchText_SavedThroughEf_StrippedTextOrNullWhenMarkupFree()
    {
        Assert.SkipWhen(_services.Store.IsPostgres, "SQLite only");
        await _services.WithAsync(async sp =>
        {
            var db = sp.GetRequiredService<PressDbContext>();
            db.Posts.Add(new Post { SiteId = _site.Id, Id = 500, Title = "T", Content = "<p>Fig &amp; date</p>", Excerpt = "Plain words", Slug = "t" });
            return await db.SaveChangesAsync();
        });
        Assert.Equal((null, " Fig & date "), await TextAsync(500));

        await _services.WithAsync(async sp =>
        {
            var db = sp.GetRequiredService<PressDbContext>();
            var post = await db.Posts.SingleAsync(p => p.SiteId == _site.Id && p.Id == 500);
            (post.Content, post.Excerpt) = ("No markup", "<b>Bold</b>");
            return await db.SaveChangesAsync();
        });
        Assert.Equal((" Bold ", null), await TextAsync(500));
    }

    private Task<(string? Excerpt, string? Content)> TextAsync(long id) => _services.WithAsync(async sp =>
    {
        var text = await sp.GetRequiredService<PressDbContext>().Posts.Where(p => p.SiteId == _site.Id && p.Id == id)
            .Select(p => new { Excerpt = EF.Property<string?>(p, SearchText.ExcerptTextProperty), Content = EF.Property<string?>(p, SearchText.ContentTextProperty) }).SingleAsync();
        return (text.Excerpt, text.Content);
    });

    private async Task<List<long>> FoundAsync(string word)
    {
        await using var scope = _services.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<PostSearch>()
            .SearchAsync(_site.Id, new PostQuery { Text = word }, ReadAccess.For(new SiteActor(0, IsServerAdmin: true, Role: null)));
        Assert.True(result.Succeeded, result.Problem?.Message);
        return [.. result.Value!.Items.Select(p => p.Id)];
    }

    /// <summary>Runs <paramref name="script"/> with the sqlite3 shell on the test's database file; it must end without an error.</summary>
    private async Task Sqlite3Async(string script)
    {
        var start = new ProcessStartInfo("sqlite3")
        {
            ArgumentList = { "-bail", _services.Store.Settings.SqlitePath },
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("The sqlite3 shell is needed (apt-get install sqlite3; test.sh installs it).", e);
        }
        using (process)
        {
            await process.StandardInput.WriteAsync(script);
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"sqlite3 failed ({process.ExitCode}): {await error}");
            Assert.Equal("", await error);
            await output;
        }
    }
}
