using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;

namespace PressMcp.Storage;

/// <summary>
/// A prepared INSERT reused for many rows inside one transaction: the fast path for generators and imports
/// (EF change tracking costs more than the insert itself at 100,000 rows). On SQLite the statement runs on the
/// connection's handle with its values bound by position (<see cref="SqliteStatement"/>); on PostgreSQL it is a prepared
/// command, one round trip a row, or, for a caller that asks for batches, one a batch of rows. Table and column names
/// come only from the callers' constants; values are always parameters.
/// </summary>
internal sealed class BulkInsert : IAsyncDisposable
{
    private readonly SqliteStatement? _sqlite;
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly string _table;
    private readonly string[] _columns;
    private readonly int _batchRows;
    private readonly List<object?[]> _pending = [];
    private DbCommand? _command;

    public BulkInsert(DbConnection connection, DbTransaction transaction, string table, params string[] columns)
        : this(connection, transaction, table, batchRows: 1, columns)
    {
    }

    /// <summary>
    /// <paramref name="batchRows"/>: on PostgreSQL, rows sent per statement (a multi-row VALUES): written when a batch is
    /// full and by <see cref="FlushAsync"/>, which the caller must await before it reads the table or commits; rows not
    /// flushed are discarded at disposal, as a rollback would. Only for callers that read nothing back in between. SQLite
    /// writes every row at once whatever this says: there a statement costs no round trip.
    /// </summary>
    public BulkInsert(DbConnection connection, DbTransaction transaction, string table, int batchRows, params string[] columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchRows, 1);
        (_connection, _transaction, _table, _columns) = (connection, transaction, table, columns);
        // PostgreSQL takes at most 65,535 parameters in a statement.
        _batchRows = Math.Min(batchRows, ushort.MaxValue / columns.Length);
        if (connection is SqliteConnection sqlite) _sqlite = new SqliteStatement(sqlite, InsertSql(1));
    }

    public Task AddAsync(CancellationToken ct, params object?[] values)
    {
        if (_sqlite is null) return AddCommandAsync(ct, values);
        _sqlite.Run(values);
        return Task.CompletedTask;
    }

    /// <summary>True when the next row completes a batch and is written with it (PostgreSQL with batches).</summary>
    public bool WritesOnNextAdd => _sqlite is null && _pending.Count + 1 >= _batchRows;

    /// <summary>Writes the rows still waiting for a full batch (PostgreSQL with batches; nothing otherwise).</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        if (_pending.Count == 0) return;
        await using var command = Command(_pending.Count);
        await RunAsync(command, ct);
    }

    private async Task AddCommandAsync(CancellationToken ct, object?[] values)
    {
        _pending.Add(values);
        if (_pending.Count < _batchRows) return;
        // Every full batch has the same shape: prepared once (with its first values, which type the parameters), as a
        // single-row insert was.
        var first = _command is null;
        _command ??= Command(_batchRows);
        await RunAsync(_command, ct, prepare: first);
    }

    private async Task RunAsync(DbCommand command, CancellationToken ct, bool prepare = false)
    {
        var n = 0;
        foreach (var row in _pending)
            for (var i = 0; i < _columns.Length; i++)
                command.Parameters[n++].Value = row[i] ?? DBNull.Value;
        if (prepare) await command.PrepareAsync(ct);
        await command.ExecuteNonQueryAsync(ct);
        _pending.Clear();
    }

    private DbCommand Command(int rows)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        for (var i = 0; i < rows * _columns.Length; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@c" + i;
            command.Parameters.Add(p);
        }
#pragma warning disable CA2100 // Names are constants of the calling code; values are parameters.
        command.CommandText = InsertSql(rows);
#pragma warning restore CA2100
        return command;
    }

    private string InsertSql(int rows)
    {
        var sql = new StringBuilder($"INSERT INTO {_table} ({string.Join(", ", _columns)}) VALUES ");
        for (var r = 0; r < rows; r++)
        {
            if (r > 0) sql.Append(", ");
            sql.Append('(').AppendJoin(", ", Enumerable.Range(r * _columns.Length, _columns.Length).Select(i => "@c" + i)).Append(')');
        }
        return sql.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        _sqlite?.Dispose();
        if (_command is not null) await _command.DisposeAsync();
    }
}
