using System.Data.Common;
using System.Text;

namespace PressMcp.Content.Search;

/// <summary>
/// Builds one parameterised SQL statement. Only constant fragments written in this folder are appended
/// as text; every value from a caller becomes a parameter.
/// </summary>
internal sealed class SearchCommand(DbCommand command)
{
    private readonly StringBuilder _sql = new();
    private int _next;

    public SearchCommand Append(string constantSql)
    {
        _sql.Append(constantSql);
        return this;
    }

    /// <summary>Adds a parameter and appends its placeholder.</summary>
    public SearchCommand Value(object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = "@p" + _next++;
        p.Value = value;
        command.Parameters.Add(p);
        _sql.Append(p.ParameterName);
        return this;
    }

    /// <summary>Appends <c>(@p1, @p2, …)</c> for an IN list.</summary>
    public SearchCommand List<T>(IEnumerable<T> values) where T : notnull
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
