using PressMcp.Content.Search;
using PressMcp.Storage;

namespace PressMcp.Tests.Content;

/// <summary>
/// <see cref="SearchGate"/>: on SQLite at most the configured number of holds at once, the others waiting in order and let
/// in as holds are given back; on PostgreSQL nothing waits.
/// </summary>
[Trait(Category.Name, Category.Unit)]
public sealed class SearchGateTests
{
    private static SearchGate Gate(DatabaseProvider provider, int slots) =>
        new(new SearchOptions { MaxConcurrentSqlite = slots }, new StorageSettings("/nonexistent", provider, null));

    [Fact]
    public async Task Sqlite_TwoSlots_TheThirdWaitsInOrder_UntilAHoldIsGivenBack()
    {
        var ct = TestContext.Current.CancellationToken;
        var gate = Gate(DatabaseProvider.Sqlite, 2);
        var first = await gate.EnterAsync(ct);
        var second = await gate.EnterAsync(ct);
        // No slot is free: the semaphore hands back a pending wait at once, not after some time.
        var third = gate.EnterAsync(ct).AsTask();
        var fourth = gate.EnterAsync(ct).AsTask();
        Assert.False(third.IsCompleted);
        Assert.False(fourth.IsCompleted);
        first.Dispose();
        using (await third.WaitAsync(TimeSpan.FromSeconds(10), ct))
            Assert.False(fourth.IsCompleted);
        (await fourth.WaitAsync(TimeSpan.FromSeconds(10), ct)).Dispose();
        second.Dispose();
    }

    [Fact]
    public async Task Sqlite_AWaitCancelled_TakesNoSlot()
    {
        var gate = Gate(DatabaseProvider.Sqlite, 1);
        var held = await gate.EnterAsync(TestContext.Current.CancellationToken);
        using var cancel = new CancellationTokenSource();
        var waiting = gate.EnterAsync(cancel.Token).AsTask();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        held.Dispose();
        // The one slot is free again: the next hold is had at once.
        Assert.True(gate.EnterAsync(TestContext.Current.CancellationToken).AsTask().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Sqlite_ZeroSlotsConfigured_IsOneACore()
    {
        var ct = TestContext.Current.CancellationToken;
        var gate = Gate(DatabaseProvider.Sqlite, 0);
        var holds = new List<SearchGate.Hold>();
        for (var i = 0; i < Environment.ProcessorCount; i++) holds.Add(await gate.EnterAsync(ct));
        var next = gate.EnterAsync(ct).AsTask();
        Assert.False(next.IsCompleted);
        holds[0].Dispose();
        (await next.WaitAsync(TimeSpan.FromSeconds(10), ct)).Dispose();
        foreach (var hold in holds.Skip(1)) hold.Dispose();
    }

    [Fact]
    public void Postgres_NeverWaits()
    {
        var gate = Gate(DatabaseProvider.Postgres, 1);
        for (var i = 0; i < 10; i++) Assert.True(gate.EnterAsync(TestContext.Current.CancellationToken).AsTask().IsCompletedSuccessfully);
    }
}
