using System.Data.Common;
using Microsoft.Data.Sqlite;
using PressMcp.Storage.Sql;

namespace PressMcp.Content.Search;

/// <summary>
/// Indexes a block of new posts in one statement instead of row by row, on SQLite. A trigger's INSERT into FTS5
/// runs inside a statement savepoint, and FTS5 writes its pending terms to disk at every savepoint, so a bulk
/// insert through the triggers writes one tiny segment per post and spends its time merging them (about 300 µs a
/// post against 50 µs when one INSERT … SELECT indexes them all). <see cref="BeginAsync"/> records the block's
/// rowid range in <c>posts_fts_deferred</c>, which the triggers skip (migration Initial);
/// <see cref="CompleteAsync"/> indexes the block's rows and removes the range. Both happen inside the caller's
/// transaction, so no other connection ever sees the range or posts missing from the index, and a rollback
/// takes both away. PostgreSQL computes its search vector with each row: there this is a no-op.
/// </summary>
internal sealed class SearchIndexDeferral
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly long _siteId;
    private readonly long _firstId;
    private readonly long _lastId;

    private SearchIndexDeferral(DbConnection connection, DbTransaction transaction, long siteId, long firstId, long lastId)
    {
        (_connection, _transaction, _siteId, _firstId, _lastId) = (connection, transaction, siteId, firstId, lastId);
    }

    /// <summary>
    /// Defers indexing of the posts <paramref name="firstId"/>…<paramref name="lastId"/> of a site, ids the caller
    /// reserved (no other writer can create them). Null on PostgreSQL, where nothing needs deferring.
    /// </summary>
    public static async Task<SearchIndexDeferral?> BeginAsync(DbTransactionInfo transaction, long siteId, long firstId, long lastId, CancellationToken ct = default)
    {
        if (transaction.Connection is not SqliteConnection) return null;
        var deferral = new SearchIndexDeferral(transaction.Connection, transaction.Transaction, siteId, firstId, lastId);
        await deferral.RunAsync("INSERT INTO posts_fts_deferred (lo, hi) VALUES (@lo, @hi)", ct);
        return deferral;
    }

    /// <summary>Indexes the block's posts and pages as they are now, and lets the triggers follow them again.</summary>
    public async Task CompleteAsync(CancellationToken ct = default)
    {
        // The same values as the triggers (the stored text, SearchText): the delete trigger removes a row with exactly
        // these. Rowids ascending (the primary key's order): FTS5 also flushes its pending terms whenever a rowid is not
        // larger than the previous one.
        await RunAsync(IndexBlock, ct);
        await RunAsync("DELETE FROM posts_fts_deferred WHERE lo = @lo AND hi = @hi", ct);
    }

    private static readonly string IndexBlock = $"""
        INSERT INTO posts_fts (rowid, title, excerpt, content, facets)
        SELECT {SearchRowId.SqlExpression}, title, coalesce(excerpt_text, excerpt), coalesce(content_text, content), search_facets FROM posts
        WHERE site_id = @site AND id BETWEEN @first AND @last AND type IN ('post', 'page') ORDER BY id
        """;

    private async Task RunAsync(string sql, CancellationToken ct)
    {
        await using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
#pragma warning disable CA2100 // The statements are this class's literals; values are parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in new[] { ("@site", _siteId), ("@first", _firstId), ("@last", _lastId), ("@lo", SearchRowId.Of(_siteId, _firstId)), ("@hi", SearchRowId.Of(_siteId, _lastId)) })
        {
            if (sql.Contains(name, StringComparison.Ordinal)) command.AddParameter(name, value);
        }
        await command.ExecuteNonQueryAsync(ct);
    }
}
