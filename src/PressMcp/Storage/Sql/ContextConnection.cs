using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace PressMcp.Storage.Sql;

/// <summary>
/// How hand-written SQL uses a context's connection, on both providers: opened through EF Core
/// (<c>OpenConnectionAsync</c>, which counts opens, so a connection already open for the request or a transaction stays
/// open and one opened here is closed at disposal), and every command joins the context's current transaction, if any.
/// Plain commands instead of EF Core's query pipeline where that pipeline costs more than the statement (see the callers).
/// A struct: hot reads (the access version, a profile, a results page) open one per call.
/// </summary>
internal readonly struct ContextConnection : IAsyncDisposable
{
    private readonly PressDbContext _db;
    private readonly bool _keepOpen;

    private ContextConnection(PressDbContext db, bool keepOpen)
    {
        (_db, _keepOpen) = (db, keepOpen);
        Connection = db.Database.GetDbConnection();
    }

    public DbConnection Connection { get; }

    /// <summary>The context's current transaction (begun through EF Core or handed to it), or null.</summary>
    public DbTransaction? Transaction => _db.Database.CurrentTransaction?.GetDbTransaction();

    /// <summary>True on SQLite, whose connection is a local handle.</summary>
    public bool IsSqlite => Connection is Microsoft.Data.Sqlite.SqliteConnection;

    /// <summary>
    /// Opens the context's connection (or counts one more use of it, when open). <paramref name="keepOpen"/>: leave it open
    /// at disposal, for the rest of the context's use (EF Core closes it when the pooled context is returned).
    /// </summary>
    public static async ValueTask<ContextConnection> OpenAsync(PressDbContext db, CancellationToken ct, bool keepOpen = false)
    {
        await db.Database.OpenConnectionAsync(ct);
        return new ContextConnection(db, keepOpen);
    }

    /// <summary>A command on this connection, in the current transaction. <paramref name="sql"/>: the caller's constant text; values go in parameters.</summary>
    public DbCommand Command(string sql = "")
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
#pragma warning disable CA2100 // Constant statements of the callers; values are parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    /// <summary>The connection and transaction of a context that has begun one, for statements outside EF Core (bulk writers).</summary>
    public static DbTransactionInfo TransactionOf(PressDbContext db) =>
        new(db.Database.GetDbConnection(),
            db.Database.CurrentTransaction?.GetDbTransaction() ?? throw new InvalidOperationException("The context has no transaction to write in."));

    public ValueTask DisposeAsync() => _keepOpen || _db is null ? ValueTask.CompletedTask : new ValueTask(_db.Database.CloseConnectionAsync());
}

/// <summary>A connection and the transaction open on it, for the statements that do not go through EF Core.</summary>
internal readonly record struct DbTransactionInfo(DbConnection Connection, DbTransaction Transaction);

/// <summary>Parameters for commands built by hand.</summary>
internal static class DbCommandParameters
{
    /// <summary>Adds a parameter named <paramref name="name"/> (with its prefix, e.g. <c>@id</c>) holding <paramref name="value"/> (null as DBNull).</summary>
    public static DbParameter AddParameter(this DbCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
        return p;
    }
}
