using System.Data.Common;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Storage;

namespace PressMcp.Tests.Publishing;

/// <summary>Public pages read a fixed number of queries however many posts, authors, terms and comments they show.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class PublicQueryTests : IAsyncLifetime
{
    private readonly SelectCounter _selects = new();
    private TestServer _server = null!;
    private PublicSiteSeed _seed = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync(configureHost: b =>
            b.Services.ConfigureDbContext<SqlitePressDbContext>(o => o.AddInterceptors(_selects)));
        _seed = new PublicSiteSeed(_server.Services);
        _client = _server.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>Counts a page's SELECT statements. The background publisher and flushers only UPDATE, INSERT and
    /// DELETE; the media scan runner's poll (every 15 s of real time) reads media_scans, which no page reads, so it is
    /// left out: on a slow machine it could otherwise fall inside a measured request.</summary>
    private sealed class SelectCounter : DbCommandInterceptor
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            var text = command.CommandText;
            if (text.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
                && !text.Contains("media_scans", StringComparison.OrdinalIgnoreCase)) Interlocked.Increment(ref _count);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    private async Task<int> SelectsForAsync(string path)
    {
        var before = _selects.Count;
        Assert.Equal(HttpStatusCode.OK, (await PublicPages.GetAsync(_client, path)).Status);
        return _selects.Count - before;
    }

    [Fact]
    public async Task Pages_QueryCount_DoesNotGrowWithContent()
    {
        var start = new DateTime(2025, 2, 1, 12, 0, 0, DateTimeKind.Utc);
        var authors = new List<long>();
        for (var i = 0; i < 6; i++) authors.Add(await _seed.UserAsync($"author{i}"));
        var small = await _seed.SiteAsync("small", "author0");
        var large = await _seed.SiteAsync("large", "author0");
        for (var i = 1; i < 6; i++) await _seed.MemberAsync(large, $"author{i}", Roles.Author);
        var smallTerm = await _seed.TermAsync(small, Taxonomies.Category, "Only");
        var smallPost = await _seed.PublishedAsync(small, "One", start, author: authors[0], terms: [smallTerm.Id]);
        await _seed.CommentAsync(small, smallPost.Id, "A", "one", start);

        var terms = new List<long>();
        for (var i = 0; i < 6; i++) terms.Add((await _seed.TermAsync(large, i % 2 == 0 ? Taxonomies.Category : Taxonomies.Tag, $"Term {i}")).Id);
        Post? last = null;
        for (var i = 0; i < 10; i++)
            last = await _seed.PublishedAsync(large, $"Post {i}", start.AddDays(i), author: authors[i % 6], sticky: i == 0, terms: [terms[i % 6], terms[(i + 1) % 6]]);
        Comment? parent = null;
        for (var i = 0; i < 8; i++) parent = await _seed.CommentAsync(large, last!.Id, $"C{i}", "text", start.AddDays(20 + i), parentId: i % 2 == 0 ? null : parent!.Id);

        (string Small, string Large)[] pairs =
        [
            ("/sites/small/", "/sites/large/"),
            ("/sites/small/2025/02/01/one/", "/sites/large/2025/02/10/post-9/"),
            ("/sites/small/category/only/", "/sites/large/category/term-0/"),
        ];
        foreach (var (smallPath, largePath) in pairs)
        {
            var few = await SelectsForAsync(smallPath);
            Assert.InRange(few, 3, 10);
            Assert.Equal(few, await SelectsForAsync(largePath));
        }
    }
}
