using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace PressMcp.Storage;

/// <summary>
/// A prepared INSERT reused for many rows inside one transaction: the fast path for generators and imports
/// (EF change tracking costs more than the insert itself at 100,000 rows). On SQLite the statement runs on the
/// connection's handle with its values bound by position (<see cref="SqliteStatement"/>); on PostgreSQL it is a prepared
/// command. Table and column names come only from the callers' constants; values are always parameters.
/// </summary>
internal sealed class BulkInsert : IAsyncDisposable
{
    private readonly SqliteStatement? _sqlite;
    private readonly DbCommand? _command;
    private readonly DbParameter[] _parameters = [];
    private bool _prepared;

    public BulkInsert(DbConnection connection, DbTransaction transaction, string table, params string[] columns)
    {
        var placeholders = columns.Select((_, i) => "@c" + i).ToArray();
        var sql = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", placeholders)})";
        if (connection is SqliteConnection sqlite)
        {
            _sqlite = new SqliteStatement(sqlite, sql);
            return;
        }
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _parameters = new DbParameter[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            var p = _command.CreateParameter();
            p.ParameterName = placeholders[i];
            _command.Parameters.Add(p);
            _parameters[i] = p;
        }
#pragma warning disable CA2100 // Names are constants of the calling code; values are parameters.
        _command.CommandText = sql;
#pragma warning restore CA2100
    }

    public Task AddAsync(CancellationToken ct, params object?[] values)
    {
        if (_sqlite is null) return AddCommandAsync(ct, values);
        _sqlite.Run(values);
        return Task.CompletedTask;
    }

    private async Task AddCommandAsync(CancellationToken ct, object?[] values)
    {
        for (var i = 0; i < _parameters.Length; i++) _parameters[i].Value = values[i] ?? DBNull.Value;
        if (!_prepared)
        {
            await _command!.PrepareAsync(ct);
            _prepared = true;
        }
        await _command!.ExecuteNonQueryAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        _sqlite?.Dispose();
        if (_command is not null) await _command.DisposeAsync();
    }
}
