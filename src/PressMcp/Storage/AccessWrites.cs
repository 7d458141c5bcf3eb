using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PressMcp.Storage;

/// <summary>
/// Counts the writes this process makes through EF Core, so that <see cref="SharedAccessVersion"/> reads the access
/// version again after each: a change made through this instance (a revocation, a role, a switched-off tool) then
/// applies from its very next call. Every write path of the server that can change access goes through EF Core:
/// <c>SaveChanges</c>, <c>ExecuteUpdate</c>/<c>ExecuteDelete</c> and raw SQL through the context (non-query commands),
/// and transactions committed through it (a write inside a transaction becomes visible only at its commit, so the
/// commit counts again). Plain ADO.NET writes (the activity log, the import's bulk rows, the search index) change no
/// access and are left out, as are reads. Any write counts, not only access changes: a false alarm costs one
/// one-row read, a missed one would cost a stale decision.
/// <para>
/// Process-wide rather than per service provider: several providers of one process may share a database (the command
/// line run inside a test, the test's own services), and one more read is the only cost of sharing the count.
/// </para>
/// </summary>
internal sealed class AccessWrites : IDbCommandInterceptor, ISaveChangesInterceptor, IDbTransactionInterceptor
{
    public static readonly AccessWrites Instance = new();

    private static long _generation;

    private AccessWrites()
    {
    }

    /// <summary>Grows after every write this process made through EF Core.</summary>
    public static long Generation => Interlocked.Read(ref _generation);

    private static void Wrote() => Interlocked.Increment(ref _generation);

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Wrote();
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Wrote();
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Wrote();
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Wrote();
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Wrote();

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Wrote();
        return Task.CompletedTask;
    }
}
