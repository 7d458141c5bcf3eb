namespace PressMcp.Storage.Migrations;

/// <summary>
/// The triggers that raise <c>access_version</c> (see <see cref="Storage.AccessVersion"/>), as the AccessVersion
/// migrations create them on each provider. One list for both, so they cannot drift apart. This is the schema of
/// one migration: a later change to the list belongs in a new migration, not here.
/// <para>
/// What is listed is what the MCP call path caches: a token (its kind, grant, client, user, scope, resource,
/// expiry, revocation), its grant (user, client, resource, scope) and the grant's sites, the user's server-admin
/// flag, login and lockout, memberships (roles), sites (what a reference resolves to, and what tools show of
/// them), the three MCP settings tables, and application passwords. Columns written on the hot path itself
/// (a grant's or a password's "last used", a site's id sequences) are left out on purpose: writing them must not
/// empty every cache.
/// </para>
/// </summary>
internal static class AccessVersionTriggers
{
    private static readonly (string Table, string Event)[] Triggers =
    [
        ("oauth_tokens", "UPDATE OF kind, grant_id, client_id, user_id, scope, resource, expires_utc, revoked_utc"),
        ("oauth_tokens", "DELETE"),
        ("oauth_grants", "UPDATE OF user_id, client_id, resource, scope"),
        ("oauth_grants", "DELETE"),
        ("oauth_grant_sites", "INSERT"),
        ("oauth_grant_sites", "UPDATE"),
        ("oauth_grant_sites", "DELETE"),
        ("users", "UPDATE OF is_server_admin, user_name, normalized_user_name, lockout_enabled, lockout_end"),
        ("users", "DELETE"),
        ("site_members", "INSERT"),
        ("site_members", "UPDATE"),
        ("site_members", "DELETE"),
        ("sites", "INSERT"),
        ("sites", "UPDATE OF slug, title, tagline, host_name, time_zone, language"),
        ("sites", "DELETE"),
        ("mcp_account_settings", "INSERT"),
        ("mcp_account_settings", "UPDATE"),
        ("mcp_account_settings", "DELETE"),
        ("mcp_tool_settings", "INSERT"),
        ("mcp_tool_settings", "UPDATE"),
        ("mcp_tool_settings", "DELETE"),
        ("mcp_site_settings", "INSERT"),
        ("mcp_site_settings", "UPDATE"),
        ("mcp_site_settings", "DELETE"),
        ("app_passwords", "INSERT"),
        ("app_passwords", "UPDATE OF user_id, hash"),
        ("app_passwords", "DELETE"),
    ];

    /// <summary>The triggers' names (a storage test checks that every one exists after all migrations).</summary>
    public static IEnumerable<string> Names() => Triggers.Select(Name);

    private static string Name((string Table, string Event) t) =>
        $"access_version_{t.Table}_{t.Event.Split(' ')[0].ToLowerInvariant()}";

    public static IEnumerable<string> SqliteUp()
    {
        yield return "CREATE TABLE access_version (id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);";
        yield return "INSERT INTO access_version (id, value) VALUES (1, 1);";
        // Row triggers (SQLite has no others); they also fire for rows removed by a foreign key's cascade.
        foreach (var t in Triggers)
            yield return $"CREATE TRIGGER {Name(t)} AFTER {t.Event} ON {t.Table} BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;";
    }

    public static IEnumerable<string> SqliteDown()
    {
        foreach (var t in Triggers) yield return $"DROP TRIGGER {Name(t)};";
        yield return "DROP TABLE access_version;";
    }

    public static IEnumerable<string> PostgresUp()
    {
        yield return "CREATE TABLE access_version (id integer NOT NULL PRIMARY KEY CHECK (id = 1), value bigint NOT NULL);";
        yield return "INSERT INTO access_version (id, value) VALUES (1, 1);";
        yield return """
            CREATE FUNCTION access_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              UPDATE access_version SET value = value + 1 WHERE id = 1;
              RETURN NULL;
            END $$;
            """;
        // Statement triggers: one raise per statement, however many rows it touched (cascades run their own).
        foreach (var t in Triggers)
            yield return $"CREATE TRIGGER {Name(t)} AFTER {t.Event} ON {t.Table} FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();";
    }

    public static IEnumerable<string> PostgresDown()
    {
        foreach (var t in Triggers) yield return $"DROP TRIGGER {Name(t)} ON {t.Table};";
        yield return "DROP FUNCTION access_version_bump();";
        yield return "DROP TABLE access_version;";
    }
}
