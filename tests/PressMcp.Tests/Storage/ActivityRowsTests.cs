using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Activity;
using PressMcp.Storage;

namespace PressMcp.Tests.Storage;

/// <summary>
/// The activity log's batch writer (multi-row INSERTs outside EF Core) stores exactly what EF Core reads back, on
/// SQLite (Guid as upper-case text, dates as text) and on PostgreSQL (uuid, timestamptz), over several statements:
/// fewer rows than a PostgreSQL batch, exactly one, one more, and several batches with a remainder.
/// </summary>
[Trait(Category.Name, Category.Storage)]
public sealed class ActivityRowsTests : IAsyncLifetime
{
    private TestServices _services = null!;

    public async ValueTask InitializeAsync() => _services = await TestServices.CreateAsync();

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(37)]
    [InlineData(ActivityRows.BatchRows)]
    [InlineData(ActivityRows.BatchRows + 1)]
    [InlineData(2 * ActivityRows.BatchRows + 50)]
    public async Task Batch_ReadsBackFieldForField(int count)
    {
        // Microseconds: the precision both providers keep (PostgreSQL timestamptz), as with EF Core.
        var at = new DateTime(2026, 11, 22, 9, 30, 15, DateTimeKind.Utc).AddTicks(1_234_560);
        var written = Enumerable.Range(0, count).Select(i => new ActivityEntry
        {
            CallId = Guid.NewGuid(), AtUtc = at.AddSeconds(i), UserId = 7 + i, Client = i % 2 == 0 ? "client-" + i : null, Endpoint = "wpcom",
            Tool = "wpcom-mcp-posts-search", Ability = "posts/search", SiteId = i % 3 == 0 ? null : i, Outcome = (CallOutcome)(i % 6),
            Message = i % 2 == 1 ? "refused: «site» blocked" : null, DurationMs = i * 3, Arguments = "search=\"ünïcode\"", IsWrite = i % 2 == 0,
        }).ToList();
        await _services.WithAsync(async sp => { await ActivityRows.InsertAsync(sp.GetRequiredService<PressDbContext>(), written, default); return 0; });

        var read = await _services.WithAsync(sp => sp.GetRequiredService<PressDbContext>().ActivityLog.AsNoTracking().OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(count, read.Count);
        foreach (var (w, r) in written.Zip(read))
        {
            Assert.Equal(w.CallId, r.CallId);
            Assert.Equal(w.AtUtc, r.AtUtc);
            Assert.Equal(DateTimeKind.Utc, r.AtUtc.Kind);
            Assert.Equal((w.UserId, w.Client, w.Endpoint, w.Tool, w.Ability, w.SiteId), (r.UserId, r.Client, r.Endpoint, r.Tool, r.Ability, r.SiteId));
            Assert.Equal((w.Outcome, w.Message, w.DurationMs, w.Arguments, w.IsWrite), (r.Outcome, r.Message, r.DurationMs, r.Arguments, r.IsWrite));
        }
        // Looked up by call id through EF Core, as the activity page does.
        var last = written[^1].CallId;
        Assert.Equal(1, await _services.WithAsync(sp => sp.GetRequiredService<PressDbContext>().ActivityLog.CountAsync(a => a.CallId == last)));
    }
}
