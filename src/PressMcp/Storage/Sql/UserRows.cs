using PressMcp.Accounts;

namespace PressMcp.Storage.Sql;

/// <summary>
/// Plain reads of the users table on the request's connection, for the two hottest read paths: a results page's author
/// names and the caller's own profile. EF Core's query pipeline cost more than these reads themselves (see the methods);
/// the columns are the mapping's (<see cref="User"/>, table <c>users</c>) and the tests compare both with EF Core.
/// </summary>
internal static class UserRows
{
    /// <summary>
    /// Display names of these users by id: the display name, or the login until the user sets one (as WordPress shows).
    /// One command with an IN list (through EF Core's <c>Contains</c> the statement was built again for every list).
    /// </summary>
    public static async Task<Dictionary<long, string>> AuthorNamesAsync(PressDbContext db, IReadOnlyCollection<long> userIds, CancellationToken ct)
    {
        var names = new Dictionary<long, string>(userIds.Count);
        if (userIds.Count == 0) return names;
        await using var connection = await ContextConnection.OpenAsync(db, ct);
        await using var command = connection.Command();
        await using var r = await AppendAuthorNames(new SqlBuilder(command), userIds).Build().ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) AddAuthorName(names, r);
        return names;
    }

    /// <summary>The statement <see cref="AuthorNamesAsync"/> runs, for a command that reads it beside others (<see cref="Content.PostRows.LabelsAsync"/>).</summary>
    internal static SqlBuilder AppendAuthorNames(SqlBuilder sql, IReadOnlyCollection<long> userIds) =>
        sql.Append("SELECT id, display_name, user_name FROM users WHERE id IN ").List(userIds);

    /// <summary>Adds the row's name: the display name, or the login until the user sets one.</summary>
    internal static void AddAuthorName(Dictionary<long, string> names, System.Data.Common.DbDataReader r)
    {
        var display = r.GetString(1);
        names[r.GetInt64(0)] = display.Trim().Length > 0 ? display : r.IsDBNull(2) ? "" : r.GetString(2);
    }

    /// <summary>
    /// A user's profile fields and the number of sites they belong to, or null when there is no such user. The cheapest read tool (<c>user/profile</c>) and
    /// the one a load test calls most: EF Core's query pipeline (command, reader and materializer set-up) cost about 35 µs
    /// here against about 10 µs for the read itself, a sixth of the whole call (docs/performance.md, MCP).
    /// </summary>
    public static async Task<ProfileResult?> ProfileAsync(PressDbContext db, Sites.SiteUrls urls, long id, CancellationToken ct)
    {
        await using var connection = await ContextConnection.OpenAsync(db, ct);
        // The site count and the primary site (the first joined) are index ranges of site_members (keyed by user), in the same statement.
        await using var command = connection.Command(
            "SELECT u.id, u.user_name, u.display_name, u.email, u.is_server_admin, u.website, u.bio, (SELECT COUNT(*) FROM site_members WHERE user_id = @id), p.id, p.slug, p.host_name " +
            "FROM users u LEFT JOIN sites p ON p.id = (SELECT site_id FROM site_members WHERE user_id = @id ORDER BY added_utc, site_id LIMIT 1) WHERE u.id = @id");
        command.AddParameter("@id", id);
        await using var row = await command.ExecuteReaderAsync(ct);
        if (!await row.ReadAsync(ct)) return null;
        var primary = row.IsDBNull(8) ? (long?)null : row.GetInt64(8);
        return new ProfileResult(row.GetInt64(0), row.IsDBNull(1) ? "" : row.GetString(1), row.GetString(2), row.IsDBNull(3) ? "" : row.GetString(3), row.GetBoolean(4),
            row.GetString(5), row.GetString(6), Convert.ToInt32(row.GetValue(7), System.Globalization.CultureInfo.InvariantCulture))
        {
            PrimaryBlog = primary,
            PrimaryBlogUrl = primary is null ? null : urls.BaseOf(row.GetString(9), row.IsDBNull(10) ? null : row.GetString(10)),
        };
    }

}
