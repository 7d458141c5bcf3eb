using Microsoft.EntityFrameworkCore;

namespace PressMcp.Storage;

/// <summary>
/// Allocates per-site ids for posts, comments and terms. One UPDATE … RETURNING is atomic on SQLite
/// and PostgreSQL (a row lock there), so concurrent writers on several instances never get the same id.
/// </summary>
internal sealed class SiteSequences(PressDbContext db)
{
    internal enum Sequence
    {
        Post,
        Comment,
        Term,
    }

    public Task<long> NextPostIdsAsync(long siteId, int count = 1, CancellationToken ct = default) => ReserveAsync(Sequence.Post, siteId, count, ct);
    public Task<long> NextCommentIdsAsync(long siteId, int count = 1, CancellationToken ct = default) => ReserveAsync(Sequence.Comment, siteId, count, ct);
    public Task<long> NextTermIdsAsync(long siteId, int count = 1, CancellationToken ct = default) => ReserveAsync(Sequence.Term, siteId, count, ct);

    /// <summary>Reserves <paramref name="count"/> consecutive ids and returns the first.</summary>
    public async Task<long> ReserveAsync(Sequence sequence, long siteId, int count, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        // Each statement is a literal chosen from a closed set; only the values are parameters.
        var sql = sequence switch
        {
            Sequence.Post => "UPDATE sites SET next_post_id = next_post_id + {0} WHERE id = {1} RETURNING next_post_id - {0} AS \"Value\"",
            Sequence.Comment => "UPDATE sites SET next_comment_id = next_comment_id + {0} WHERE id = {1} RETURNING next_comment_id - {0} AS \"Value\"",
            Sequence.Term => "UPDATE sites SET next_term_id = next_term_id + {0} WHERE id = {1} RETURNING next_term_id - {0} AS \"Value\"",
            _ => throw new ArgumentOutOfRangeException(nameof(sequence)),
        };
        var rows = await db.Database.SqlQueryRaw<long>(sql, (long)count, siteId).ToListAsync(ct);
        return rows.Count == 1 ? rows[0] : throw new InvalidOperationException($"Site {siteId} does not exist.");
    }
}
