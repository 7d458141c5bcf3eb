using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Content.Abilities;
using PressMcp.Storage;

namespace PressMcp.Tests.Content;

/// <summary>
/// posts/search reads only the start of each post's content (<see cref="PostRead.ForExcerpt"/>), yet every excerpt it
/// answers is the whole content's, through the real endpoint: where the start decides the words, where it does not (a
/// long tag first, fewer words than an excerpt in exactly the start's length) and the rest must be read, and beside a
/// post's own excerpt.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class SearchExcerptTests : IAsyncLifetime
{
    private AbilityHarness _h = null!;
    private readonly Dictionary<string, (string Content, string Excerpt)> _posts = [];

    public async ValueTask InitializeAsync()
    {
        _h = await AbilityHarness.StartAsync();
        await _h.EnableAsync("alice");
        var start = HtmlText.ExcerptStart();
        var words = string.Join(' ', Enumerable.Range(0, 300).Select(i => $"word{i}"));
        var thirty = string.Join(' ', Enumerable.Range(0, 30).Select(i => $"w{i}"));
        _posts["zebra plain"] = ($"<p>{words}</p>", "");
        _posts["zebra long tag"] = ($"<div data-note=\"{new string('y', 2 * start)}\">{words}</div>", "");
        _posts["zebra accents"] = ($"<p>{string.Join(' ', Enumerable.Repeat("café", 400))}</p>", "");
        _posts["zebra few words at the start's length"] = (thirty + new string(' ', start - thirty.Length - 3) + "end", "");
        _posts["zebra short"] = ("<p>Only a few words &amp; an entity.</p>", "");
        _posts["zebra own excerpt"] = ($"<p>{words}</p>", "A <b>hand-written</b> summary");
        await using var scope = _h.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var garden = await db.Sites.SingleAsync(s => s.Slug == "garden");
        var seed = new ContentSeed(scope.ServiceProvider);
        var alice = await _h.UserIdAsync("alice");
        foreach (var (title, (content, excerpt)) in _posts)
            Assert.True((await seed.CreateAsync(garden, new NewPost { Title = title, Content = content, Excerpt = excerpt, Status = PostStatuses.Publish, AuthorId = alice })).Succeeded);
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task EveryExcerpt_IsTheWholeContents_WhetherOrNotItsStartDecides()
    {
        Assert.Equal(HtmlText.ExcerptStart(), _posts["zebra few words at the start's length"].Content.Length);
        // Twice: the second answer comes from the result cache, whose posts are read the same way.
        for (var pass = 0; pass < 2; pass++)
        {
            var found = await _h.OkAsync("alice", PostSearchAbility.Name, new { search = "zebra", per_page = 20 });
            var excerpts = found.GetProperty("posts").EnumerateArray()
                .ToDictionary(p => p.GetProperty("title").GetString()!, p => p.GetProperty("excerpt").GetString());
            Assert.Equal(_posts.Keys.Order(), excerpts.Keys.Order());
            foreach (var (title, (content, excerpt)) in _posts)
                Assert.Equal(excerpt.Length > 0 ? HtmlText.Strip(excerpt) : HtmlText.TrimWords(HtmlText.Strip(content)), excerpts[title]);
        }
        Assert.StartsWith("word0 word1", ExcerptOf(await _h.OkAsync("alice", PostSearchAbility.Name, new { search = "zebra long tag" })));
    }

    private static string? ExcerptOf(JsonElement found) => found.GetProperty("posts")[0].GetProperty("excerpt").GetString();
}
