using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Import;

/// <summary>
/// How pass 2 shares the database with live writers. It commits in batches of about <see cref="BatchBudget"/> of work each
/// and waits <see cref="Pause"/> between them, so another writer waits for the database's write lock (SQLite) at most a
/// batch, never the whole import. 110 ms: SQLite's busy handler (busy_timeout, see Storage/Sql/SqliteConnectionSetup) sleeps at most 100 ms
/// between attempts, so a writer that is waiting is sure to try, and get the lock, within the pause.
/// </summary>
internal sealed record ImportPacing(TimeSpan BatchBudget, TimeSpan Pause)
{
    public static readonly ImportPacing Default = new(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(110));
}

/// <summary>What a committed batch of pass 2 was, for <see cref="ImportOptions.AfterBatch"/>.</summary>
internal sealed record ImportBatch(int Number, ImportStage Stage, int Rows, TimeSpan LockHeld);

/// <summary>The transactions of pass 2, in the order they run.</summary>
internal enum ImportStage
{
    /// <summary>The file's authors and terms (one transaction).</summary>
    AuthorsAndTerms,
    /// <summary>New posts, pages and attachments with their keys, terms, custom fields, media records and search index (SQLite).</summary>
    NewItems,
    /// <summary>New comments with their keys, and the comment counts of their posts (SQLite).</summary>
    NewComments,
    /// <summary>Items compared with what an earlier import wrote (SQLite), or every item with its comments (PostgreSQL).</summary>
    Items,
}

/// <summary>
/// Runs each batch of pass 2 in its own transaction: begins it (on SQLite through <see cref="StagedInserts"/>, whose
/// connection has the staging file attached), commits it, records how long it held the write lock, tells
/// <see cref="ImportOptions.AfterBatch"/>, and pauses before the next one. A batch that fails is rolled back whole; the
/// batches before it stay, and their import keys make a second import of the same file skip them.
/// </summary>
internal sealed class ImportTransactions(PressDbContext db, StagedInserts? inserts, ImportOptions options, ImportReport report, TimeProvider clock)
{
    private int _committed;

    public ImportPacing Pacing => options.Pacing;

    /// <summary>
    /// Runs <paramref name="body"/> in a new transaction and commits it when the body succeeds (a Problem rolls it back).
    /// <paramref name="rows"/> says, after the body ran, how many rows the batch was (for the sizing of the next one).
    /// </summary>
    public async Task<Outcome<T>> RunAsync<T>(ImportStage stage, Func<DbTransactionInfo, CancellationToken, Task<Outcome<T>>> body, Func<T, int> rows, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (_committed > 0) await Task.Delay(options.Pacing.Pause, clock, ct);
        var started = clock.GetTimestamp();
        Outcome<T> result;
        var transaction = inserts is null ? await db.Database.BeginTransactionAsync(ct) : await inserts.BeginTransactionAsync(ct);
        try
        {
            result = await body(ContextConnection.TransactionOf(db), ct);
            if (!result.Succeeded) return result;
            await transaction.CommitAsync(ct);
        }
        finally
        {
            // Rolls back unless committed. The tracked rows are written or void either way.
            await transaction.DisposeAsync();
            inserts?.EndTransaction();
            db.ChangeTracker.Clear();
        }
        var held = LastHeld = clock.GetElapsedTime(started);
        report.TransactionCommitted(held);
        _committed++;
        if (options.AfterBatch is { } hook) await hook(new ImportBatch(_committed, stage, rows(result.Value!), held), ct);
        return result;
    }

    /// <summary>The time the last committed transaction held the write lock (from its first write to its commit).</summary>
    public TimeSpan LastHeld { get; private set; }
}

/// <summary>
/// How many rows the next batch of a kind takes so that it lasts about <see cref="ImportPacing.BatchBudget"/>: the last
/// batch's rate, scaled to the budget. A batch grows at most fourfold and shrinks at most to a quarter from one to the
/// next (one slow batch, on a machine busy elsewhere, does not make the next one tiny), and the first is small, so a file
/// of very long posts does not hold the lock long before the rate is known.
/// </summary>
internal sealed class BatchSizer(TimeSpan budget, int first = BatchSizer.FirstRows)
{
    public const int FirstRows = 200;
    public const int MaxRows = 1_000_000;

    public int Next { get; private set; } = first;

    public void Done(int rows, TimeSpan took)
    {
        if (rows <= 0) return;
        var scaled = took <= TimeSpan.Zero ? (double)rows * 4 : rows * (budget / took);
        Next = (int)Math.Clamp(scaled, Math.Max(1, rows / 4.0), Math.Min(MaxRows, rows * 4.0));
    }
}
