using System.Data.Common;

namespace PressMcp.Storage;

/// <summary>
/// A prepared INSERT reused for many rows inside one transaction: the fast path for generators and imports
/// (EF change tracking costs more than the insert itself at 100,000 rows). Table and column names come
/// only from the callers' constants; values are always parameters.
/// </summary>
internal sealed class BulkInsert : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter[] _parameters;
    private bool _prepared;

    public BulkInsert(DbConnection connection, DbTransaction transaction, string table, params string[] columns)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _parameters = new DbParameter[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            var p = _command.CreateParameter();
            p.ParameterName = "@c" + i;
            _command.Parameters.Add(p);
            _parameters[i] = p;
        }
#pragma warning disable CA2100 // Names are constants of the calling code; values are parameters.
        _command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", _parameters.Select(p => p.ParameterName))})";
#pragma warning restore CA2100
    }

    public async Task AddAsync(CancellationToken ct, params object?[] values)
    {
        for (var i = 0; i < _parameters.Length; i++) _parameters[i].Value = values[i] ?? DBNull.Value;
        if (!_prepared)
        {
            await _command.PrepareAsync(ct);
            _prepared = true;
        }
        await _command.ExecuteNonQueryAsync(ct);
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
