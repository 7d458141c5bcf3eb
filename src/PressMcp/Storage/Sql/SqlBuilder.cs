using System.Data.Common;
using System.Text;

namespace PressMcp.Storage.Sql;

/// <summary>
/// Builds one parameterised SQL statement whose shape depends on the request (search's filters, an IN list of ids).
/// Only constant fragments of the calling code are appended as text; every value from a caller becomes a parameter.
/// </summary>
internal sealed class SqlBuilder(DbCommand command)
{
    private readonly StringBuilder _sql = new();
    private int _next;

    public SqlBuilder Append(string constantSql)
    {
        _sql.Append(constantSql);
        return this;
    }

    /// <summary>Adds a parameter and appends its placeholder.</summary>
    public SqlBuilder Value(object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = "@p" + _next++;
        p.Value = value;
        command.Parameters.Add(p);
        _sql.Append(p.ParameterName);
        return this;
    }

    /// <summary>Appends <c>(@p1, @p2, …)</c> for an IN list.</summary>
    public SqlBuilder List<T>(IEnumerable<T> values) where T : notnull
    {
        _sql.Append('(');
        var first = true;
        foreach (var v in values)
        {
            if (!first) _sql.Append(", ");
            Value(v);
            first = false;
        }
        _sql.Append(')');
        return this;
    }

    public DbCommand Build()
    {
#pragma warning disable CA2100 // Composed from constant fragments and parameters only (see Append/Value).
        command.CommandText = _sql.ToString();
#pragma warning restore CA2100
        return command;
    }
}
