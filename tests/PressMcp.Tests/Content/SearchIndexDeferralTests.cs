using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using PressMcp.Content;
using PressMcp.Content.Search;
using PressMcp.Sites;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Tests.Content;

/// <summary>
/// Deferred indexing of a block of new posts (SQLite's triggers skip the block until it is indexed in one statement;
/// on PostgreSQL the generated search vector needs nothing): what is outside the block is indexed as always, the
/// block is indexed when completed, and a rollback leaves no range behind.
/// </summary>
[Trait(Category.Name, Category.Storage)]
public sealed class SearchIndexDeferralTests : IAsyncLifetime
{
    private TestServices _services = null!;
    private Site _site = null!;

    public async ValueTask InitializeAsync()
    {
        _services = await TestServices.CreateAsync();
        _site = await _services.CreateNewsSiteAsync();
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private Post NewPost(long id, string title) => new()
    {
        SiteId = _site.Id, Id = id, Title = title, Status = PostStatuses.Publish, Slug = $"p{id}",
        DateUtc = DateTime.UtcNow, ModifiedUtc = DateTime.UtcNow,
    };

    private async Task<IReadOnlyList<long>> FoundAsync(IServiceProvider services, string word)
    {
        var page = await services.GetRequiredService<PostSearch>().SearchAsync(_site.Id, new PostQuery { Text = word }, ReadAccess.Public);
        Assert.True(page.Succeeded, page.Problem?.Message);
        return page.Value!.Items.Select(p => p.Id).ToList();
    }

    [Fact]
    public async Task Deferral_BlockIndexedAtCompletion_OthersAtOnce()
    {
        await using var scope = _services.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var first = await scope.ServiceProvider.GetRequiredService<SiteSequences>().NextPostIdsAsync(_site.Id, 3);
        var outside = await scope.ServiceProvider.GetRequiredService<SiteSequences>().NextPostIdsAsync(_site.Id, 1);
        await using var tx = await db.Database.BeginTransactionAsync();

        var deferral = await SearchIndexDeferral.BeginAsync(ContextConnection.TransactionOf(db), _site.Id, first, first + 2);
        Assert.Equal(_services.Store.IsPostgres, deferral is null);
        db.Posts.AddRange(NewPost(first, "Marmalade one"), NewPost(first + 1, "Marmalade two"), NewPost(outside, "Marmalade outside"));
        await db.SaveChangesAsync();
        // Edited inside the block before it is indexed: the index gets the row as it is at completion.
        await db.Posts.Where(p => p.SiteId == _site.Id && p.Id == first + 1).ExecuteUpdateAsync(s => s.SetProperty(p => p.Title, "Marmalade second"));
        if (deferral is not null)
        {
            Assert.Equal([outside], await FoundAsync(scope.ServiceProvider, "marmalade"));
            await deferral.CompleteAsync();
        }
        await tx.CommitAsync();

        Assert.Equal(new[] { first, first + 1, outside }.Order(), (await FoundAsync(scope.ServiceProvider, "marmalade")).Order());
        Assert.Equal([first + 1], await FoundAsync(scope.ServiceProvider, "second"));
        Assert.Empty(await FoundAsync(scope.ServiceProvider, "two"));
        Assert.Equal(0, await DeferredRangesAsync(db));
    }

    [Fact]
    public async Task Deferral_RolledBack_LeavesNoRangeAndTriggersWorkAgain()
    {
        await using var scope = _services.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var first = await scope.ServiceProvider.GetRequiredService<SiteSequences>().NextPostIdsAsync(_site.Id, 2);
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await SearchIndexDeferral.BeginAsync(ContextConnection.TransactionOf(db), _site.Id, first, first + 1);
            db.Posts.Add(NewPost(first, "Quince lost"));
            await db.SaveChangesAsync();
            await tx.RollbackAsync();
        }
        db.ChangeTracker.Clear();
        Assert.Equal(0, await DeferredRangesAsync(db));

        // The same ids, written normally afterwards, are indexed by the triggers.
        db.Posts.Add(NewPost(first + 1, "Quince kept"));
        await db.SaveChangesAsync();
        Assert.Equal([first + 1], await FoundAsync(scope.ServiceProvider, "quince"));
    }

    private async Task<long> DeferredRangesAsync(PressDbContext db) => _services.Store.IsPostgres
        ? 0
        : await db.Database.SqlQueryRaw<long>("SELECT COUNT(*) AS \"Value\" FROM posts_fts_deferred").SingleAsync();

    [Fact]
    public async Task SqliteIndex_BuffersSixteenMegabytesOfTermsBeforeWritingASegment()
    {
        if (_services.Store.IsPostgres) return;
        // Bulk indexing writes fewer, larger segments with it (docs/performance.md, Import); a migration that rebuilt the
        // table without it would silently make imports slower.
        var hashSize = await _services.WithAsync(async sp =>
        {
            var db = sp.GetRequiredService<PressDbContext>();
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "SELECT v FROM posts_fts_config WHERE k = 'hashsize'";
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        });
        Assert.Equal(16L * 1024 * 1024, hashSize);
    }
}
