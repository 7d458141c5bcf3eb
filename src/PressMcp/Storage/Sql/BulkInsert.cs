using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;

namespace PressMcp.Storage.Sql;

/// <summary>
/// A prepared INSERT of <typeparamref name="T"/> rows reused for many rows inside one transaction: the fast path for
/// generators and imports (EF change tracking costs more than the insert itself at 100,000 rows). The table and its
/// columns are the model's (<see cref="EntityTable{T}"/>), so every bulk writer of a table writes the same columns. On
/// SQLite the statement runs on the connection's handle with its values bound by position (<see cref="SqliteStatement"/>);
/// on PostgreSQL it is a prepared command, one round trip a row, or, for a caller that asks for batches, one a batch of
/// rows. Table and column names come only from the model; values are always parameters.
/// </summary>
internal sealed class BulkInsert<T> : IAsyncDisposable where T : class
{
    private readonly EntityTable<T> _table;
    private readonly SqliteStatement? _sqlite;
    private readonly object?[]? _row;
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly int _columns;
    private readonly int _batchRows;
    private readonly List<object?[]> _pending = [];
    private DbCommand? _command;

    /// <summary>
    /// <paramref name="batchRows"/>: on PostgreSQL, rows sent per statement (a multi-row VALUES): written when a batch is
    /// full and by <see cref="FlushAsync"/>, which the caller must await before it reads the table or commits; rows not
    /// flushed are discarded at disposal, as a rollback would. Only for callers that read nothing back in between. SQLite
    /// writes every row at once whatever this says: there a statement costs no round trip.
    /// </summary>
    public BulkInsert(DbTransactionInfo transaction, EntityTable<T> table, int batchRows = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchRows, 1);
        (_connection, _transaction, _table) = (transaction.Connection, transaction.Transaction, table);
        _columns = table.InsertColumns.Count;
        // PostgreSQL takes at most 65,535 parameters in a statement.
        _batchRows = Math.Min(batchRows, ushort.MaxValue / _columns);
        if (_connection is SqliteConnection sqlite)
        {
            _sqlite = new SqliteStatement(sqlite, InsertSql(1));
            // The statement binds a row's values before it returns: one buffer serves every row.
            _row = new object?[_columns];
        }
    }

    public Task AddAsync(T row, CancellationToken ct)
    {
        if (_sqlite is null) return AddCommandAsync(row, ct);
        _table.InsertValues(row, _row!);
        _sqlite.Run(_row);
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

    private async Task AddCommandAsync(T row, CancellationToken ct)
    {
        var values = new object?[_columns];
        _table.InsertValues(row, values);
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
            for (var i = 0; i < _columns; i++)
                command.Parameters[n++].Value = row[i] ?? DBNull.Value;
        if (prepare) await command.PrepareAsync(ct);
        await command.ExecuteNonQueryAsync(ct);
        _pending.Clear();
    }

    private DbCommand Command(int rows)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        for (var i = 0; i < rows * _columns; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@c" + i;
            command.Parameters.Add(p);
        }
#pragma warning disable CA2100 // Names come from the model; values are parameters.
        command.CommandText = InsertSql(rows);
#pragma warning restore CA2100
        return command;
    }

    private string InsertSql(int rows)
    {
        var sql = new StringBuilder($"INSERT INTO {_table.Name} ({string.Join(", ", _table.InsertColumns)}) VALUES ");
        for (var r = 0; r < rows; r++)
        {
            if (r > 0) sql.Append(", ");
            sql.Append('(').AppendJoin(", ", Enumerable.Range(r * _columns, _columns).Select(i => "@c" + i)).Append(')');
        }
        return sql.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        _sqlite?.Dispose();
        if (_command is not null) await _command.DisposeAsync();
    }
}
