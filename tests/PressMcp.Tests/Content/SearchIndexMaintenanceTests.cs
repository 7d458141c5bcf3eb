using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PressMcp.Content;
using PressMcp.Content.Search;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Content;

/// <summary>
/// SQLite's full-text index merged into one segment when writes have left more than a few, with every search
/// answering as before; an index with few segments is left alone; on PostgreSQL there is nothing to do.
/// </summary>
[Trait(Category.Name, Category.Storage)]
public sealed class SearchIndexMaintenanceTests : IAsyncLifetime
{
    private TestServices _services = null!;
    private Site _site = null!;

    public async ValueTask InitializeAsync()
    {
        _services = await TestServices.CreateAsync();
        _site = await _services.CreateNewsSiteAsync();
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private SearchIndexMaintenance Maintenance() =>
        new(_services.Provider.GetRequiredService<IServiceScopeFactory>(), _services.Store.Settings, TimeProvider.System, NullLogger<SearchIndexMaintenance>.Instance);

    /// <summary>Posts written one transaction each (each leaves FTS5 a segment), with words shared in patterns.</summary>
    private async Task WritePostsAsync(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await using var scope = _services.Scope();
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            var id = await scope.ServiceProvider.GetRequiredService<SiteSequences>().NextPostIdsAsync(_site.Id, 1);
            db.Posts.Add(new Post
            {
                SiteId = _site.Id, Id = id, Title = $"Post {i} " + (i % 3 == 0 ? "marmalade" : "toast"), Content = $"<p>breakfast {(i % 5 == 0 ? "kipper" : "egg")}</p>",
                Status = i % 7 == 0 ? PostStatuses.Draft : PostStatuses.Publish, Slug = $"p{i}", DateUtc = DateTime.UtcNow, ModifiedUtc = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }
    }

    private async Task<Dictionary<string, (long Total, List<long> Ids)>> SearchAllAsync()
    {
        var results = new Dictionary<string, (long, List<long>)>();
        await using var scope = _services.Scope();
        foreach (var word in new[] { "marmalade", "toast", "breakfast", "kipper", "egg", "absent" })
        {
            var page = await scope.ServiceProvider.GetRequiredService<PostSearch>().SearchAsync(_site.Id, new PostQuery { Text = word, PerPage = 100 }, ReadAccess.Public);
            Assert.True(page.Succeeded, page.Problem?.Message);
            results[word] = (page.Value!.Total, page.Value.Items.Select(p => p.Id).ToList());
        }
        return results;
    }

    [Fact]
    public async Task Merge_ManySegments_IntoOne_SearchesUnchanged()
    {
        await WritePostsAsync(60);
        var before = await SearchAllAsync();

        var (segmentsBefore, segmentsAfter) = await Maintenance().MergeAsync(default);

        if (_services.Store.IsPostgres)
        {
            Assert.Equal((0, 0), (segmentsBefore, segmentsAfter));
            return;
        }
        Assert.True(segmentsBefore > SearchIndexMaintenance.MaxSegments, $"{segmentsBefore} segments");
        Assert.Equal(1, segmentsAfter);
        var after = await SearchAllAsync();
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (word, (total, ids)) in before)
        {
            Assert.Equal(total, after[word].Total);
            Assert.Equal(ids.Order(), after[word].Ids.Order());
        }
        // Multiples of 3 up to 60, but for the drafts (multiples of 7: 21 and 42).
        Assert.Equal(18, after["marmalade"].Total);
        Assert.Equal(0, after["absent"].Total);
    }

    [Fact]
    public async Task Merge_FewSegments_LeftAlone()
    {
        await WritePostsAsync(2);

        var (segmentsBefore, segmentsAfter) = await Maintenance().MergeAsync(default);

        Assert.Equal(segmentsBefore, segmentsAfter);
        Assert.True(segmentsBefore <= SearchIndexMaintenance.MaxSegments);
    }
}
