using System.Data.Common;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using PressMcp.Content;
using PressMcp.Content.Search;

namespace PressMcp.Storage.Sql;

/// <summary>
/// The table and columns EF Core maps <typeparamref name="T"/> to, read from the model, for the statements written by
/// hand (bulk inserts, INSERT … SELECT, plain reads). One definition for all of them: a column added to the entity and
/// its mapping is written and read by every one of them without another list to update, and a statement that must say
/// where a column's value comes from (<see cref="InsertSelect"/>) refuses to run without it.
/// <para>
/// Built once per model (both providers' contexts share the names, each has its own model), with one compiled
/// accessor per column: a row costs a delegate call per column, no reflection. Values go through the same value
/// converters EF Core applies (UTC dates, enums stored as text), so rows written here read back as EF Core's do.
/// </para>
/// </summary>
internal sealed class EntityTable<T> where T : class
{
    private static readonly ConditionalWeakTable<IModel, EntityTable<T>> Tables = new();

    private readonly Func<T, object?>[] _values;
    private readonly Action<T, DbDataReader, int>[] _readers;
    private readonly Func<T> _create;

    /// <summary>The table's name.</summary>
    public string Name { get; }

    /// <summary>The columns of <typeparamref name="T"/>'s properties, in the model's order (key columns first): what <see cref="Read"/> reads.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>
    /// The columns an INSERT writes: all but those the database generates (an identity key, a computed column), shadow
    /// properties' included.
    /// </summary>
    public IReadOnlyList<string> InsertColumns { get; }

    /// <summary>The properties behind <see cref="InsertColumns"/>, by position.</summary>
    public IReadOnlyList<string> InsertProperties { get; }

    /// <summary><see cref="Columns"/> as a select list: <c>a, b, c</c>.</summary>
    public string ColumnList { get; }

    public static EntityTable<T> Of(DbContext db) => Of(db.Model);

    public static EntityTable<T> Of(IModel model) => Tables.GetValue(model, m => new EntityTable<T>(m));

    private EntityTable(IModel model)
    {
        var entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        Name = entity.GetTableName() ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped to a table.");
        var table = StoreObjectIdentifier.Table(Name, entity.GetSchema());
        string Column(IProperty p) => p.GetColumnName(table) ?? throw new InvalidOperationException($"{typeof(T).Name}.{p.Name} has no column in {Name}.");
        // Read: the columns of the entity's own properties. A shadow property has nowhere to go in a T.
        var read = entity.GetProperties().Where(p => p.PropertyInfo is not null).ToList();
        Columns = [.. read.Select(Column)];
        _readProperties = [.. read.Select(p => p.Name)];
        ColumnList = string.Join(", ", Columns);
        _readers = [.. read.Select(Reader)];
        // Written: every column but those the database fills itself, an identity key or a computed (generated) column,
        // which SQLite and PostgreSQL refuse to be given a value. A shadow property is written from what the entity's
        // own properties say it is (ShadowWriter).
        var written = entity.GetProperties().Where(p => p.ValueGenerated == ValueGenerated.Never && p.GetComputedColumnSql(table) is null).ToList();
        InsertColumns = [.. written.Select(Column)];
        InsertProperties = [.. written.Select(p => p.Name)];
        _values = [.. written.Select(p => p.PropertyInfo is null ? ShadowWriter(p) : Writer(p))];
        _create = Expression.Lambda<Func<T>>(Expression.New(typeof(T))).Compile();
    }

    /// <summary><see cref="Columns"/> qualified by a table alias: <c>t.a, t.b, t.c</c>.</summary>
    /// <remarks>
    /// Kept per alias: search results read their posts' terms with it on every call, and building the list each time
    /// was 2 % of the bytes a posts-search call allocated. The aliases are the hand-written statements' few constants.
    /// </remarks>
    public string ColumnListOf(string alias) => _columnListsByAlias.GetOrAdd(alias, static (a, columns) => string.Join(", ", columns.Select(c => a + "." + c)), Columns);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _columnListsByAlias = new(StringComparer.Ordinal);

    /// <summary>The column of one of <typeparamref name="T"/>'s properties (<c>nameof(Post.Content)</c>).</summary>
    public string ColumnOf(string property) =>
        Columns[Array.IndexOf(_readProperties, property) is >= 0 and var at ? at : throw new ArgumentException($"{typeof(T).Name} has no column for '{property}'", nameof(property))];

    /// <summary>
    /// <see cref="ColumnList"/> with <paramref name="property"/>'s column read from <paramref name="expression"/>, an SQL
    /// expression over the same row giving a value of the column's type, so <see cref="Read"/> reads the rows as before.
    /// Built each time: a caller on a hot path keeps what it built (PostRows, once per model).
    /// </summary>
    public string ColumnListReading(string property, string expression)
    {
        var column = ColumnOf(property);
        return string.Join(", ", Columns.Select(c => c == column ? expression + " AS " + c : c));
    }

    private readonly string[] _readProperties;

    /// <summary>Writes <paramref name="row"/>'s values for <see cref="InsertColumns"/>, in order, as the database stores them.</summary>
    public void InsertValues(T row, Span<object?> values)
    {
        for (var i = 0; i < _values.Length; i++) values[i] = _values[i](row);
    }

    /// <summary>A new <typeparamref name="T"/> from the reader's columns <paramref name="first"/>…, in the order of <see cref="Columns"/>.</summary>
    public T Read(DbDataReader reader, int first = 0)
    {
        var row = _create();
        for (var i = 0; i < _readers.Length; i++) _readers[i](row, reader, first + i);
        return row;
    }

    /// <summary>
    /// <c>INSERT INTO {schema}{table} (columns) SELECT [DISTINCT] sources</c>: each of <see cref="InsertColumns"/> from the SQL expression
    /// given for its property (keys: property names, <c>nameof(Post.Title)</c>). Throws when a column has no source or a
    /// source names no column, so a column added to the entity cannot be left out of an INSERT … SELECT unnoticed.
    /// </summary>
    public string InsertSelect(string schema, IReadOnlyDictionary<string, string> sourceByProperty, bool distinct = false)
    {
        var missing = InsertProperties.Where(p => !sourceByProperty.ContainsKey(p)).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"INSERT INTO {Name} … SELECT has no source for {string.Join(", ", missing)}: say where the column's value comes from.");
        var unknown = sourceByProperty.Keys.Where(k => !InsertProperties.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new InvalidOperationException($"INSERT INTO {Name} … SELECT names {string.Join(", ", unknown)}, which the table does not write.");
        return $"INSERT INTO {schema}{Name} ({string.Join(", ", InsertColumns)}) SELECT {(distinct ? "DISTINCT " : "")}{string.Join(", ", InsertProperties.Select(p => sourceByProperty[p]))}";
    }

    /// <summary>
    /// The value of a shadow property, a column with no property of <typeparamref name="T"/> behind it, computed from the
    /// entity as EF Core's writes compute it: SQLite's stored search text of a post (<see cref="SearchText"/>, which
    /// <c>SqlitePressDbContext.SaveChanges</c> fills for EF Core). A shadow property without such a rule would be a
    /// column hand-written SQL cannot fill: refused when the table is built, not at the first insert.
    /// </summary>
    private static Func<T, object?> ShadowWriter(IProperty property) =>
        (typeof(T) == typeof(Post) ? (object?)SearchText.ValueOf(property.Name) : null) as Func<T, object?>
        ?? throw new InvalidOperationException($"{typeof(T).Name}.{property.Name} is a shadow property: hand-written SQL has no value for it.");

    private static Func<T, object?> Writer(IProperty property)
    {
        var row = Expression.Parameter(typeof(T), "row");
        Expression value = Expression.Property(row, (PropertyInfo)property.PropertyInfo!);
        // EF Core's converter for the column (a model one, such as UTC dates or an enum as text), compiled into the
        // accessor; null stays null, as EF Core never converts it.
        if (Converter(property) is { } converter)
        {
            var toProvider = converter.ConvertToProviderExpression;
            var parameter = toProvider.Parameters[0].Type;
            Expression converted = Expression.Convert(Expression.Invoke(toProvider, Expression.Convert(value, parameter)), typeof(object));
            value = property.ClrType.IsValueType && Nullable.GetUnderlyingType(property.ClrType) is null
                ? converted
                : Expression.Condition(Expression.Equal(value, Expression.Constant(null, property.ClrType)), Expression.Constant(null, typeof(object)), converted);
        }
        else
        {
            value = Expression.Convert(value, typeof(object));
        }
        return Expression.Lambda<Func<T, object?>>(value, row).Compile();
    }

    private static Action<T, DbDataReader, int> Reader(IProperty property)
    {
        var info = (PropertyInfo)property.PropertyInfo!;
        var row = Expression.Parameter(typeof(T), "row");
        var reader = Expression.Parameter(typeof(DbDataReader), "reader");
        var ordinal = Expression.Parameter(typeof(int), "ordinal");
        var converter = Converter(property);
        var clr = property.ClrType;
        var stored = converter?.ProviderClrType ?? clr;
        stored = Nullable.GetUnderlyingType(stored) ?? stored;
        Expression value = Expression.Call(reader, nameof(DbDataReader.GetFieldValue), [stored], ordinal);
        if (converter is not null)
        {
            var fromProvider = converter.ConvertFromProviderExpression;
            value = Expression.Invoke(fromProvider, Expression.Convert(value, fromProvider.Parameters[0].Type));
        }
        value = Expression.Convert(value, clr);
        if (property.IsNullable)
            value = Expression.Condition(Expression.Call(reader, nameof(DbDataReader.IsDBNull), null, ordinal), Expression.Default(clr), value);
        var assign = Expression.Assign(Expression.Property(row, info), value);
        return Expression.Lambda<Action<T, DbDataReader, int>>(assign, row, reader, ordinal).Compile();
    }

    private static ValueConverter? Converter(IProperty property) => property.GetValueConverter() ?? property.GetTypeMapping().Converter;
}
