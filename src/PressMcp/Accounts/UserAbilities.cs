using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Accounts;

/// <summary>Abilities about the caller themselves: the sites this connection reaches, and their own profile.</summary>
internal sealed class UserAbilities : IAbilitySource
{
    public const string Sites = "user/sites";
    public const string Profile = "user/profile";

    public IEnumerable<Ability> Abilities() =>
    [
        new Ability(Sites, "My sites", "Lists the sites this connection may use, with your role on each.", "user",
            """{"type":"object","additionalProperties":false,"properties":{}}""",
            """
            {"type":"object","required":["sites"],"properties":{"sites":{"type":"array","items":{"type":"object",
              "required":["id","slug","title","url","role"],
              "properties":{"id":{"type":"integer"},"slug":{"type":"string"},"title":{"type":"string"},"url":{"type":"string"},"role":{"type":"string"}}}}}}
            """,
            AbilityAnnotations.Read, scopes: [], capability: null, siteScoped: false, ListSitesAsync),
        new Ability(Profile, "My profile", "Shows your own account: login, display name, e-mail and whether you operate the server.", "user",
            """{"type":"object","additionalProperties":false,"properties":{}}""",
            """
            {"type":"object","required":["id","login","display_name","email","server_admin"],
             "properties":{"id":{"type":"integer"},"login":{"type":"string"},"display_name":{"type":"string"},"email":{"type":"string"},"server_admin":{"type":"boolean"}}}
            """,
            AbilityAnnotations.Read, scopes: [], capability: null, siteScoped: false, ProfileAsync),
    ];

    private static async Task<Outcome<JsonElement>> ListSitesAsync(AbilityCall call, CancellationToken ct)
    {
        var db = call.Services.GetRequiredService<PressDbContext>();
        var urls = call.Services.GetRequiredService<SiteUrls>();
        var caller = call.Caller;
        var rows = await (from s in db.Sites
                          join m in db.SiteMembers.Where(m => m.UserId == caller.UserId) on s.Id equals m.SiteId into members
                          from m in members.DefaultIfEmpty()
                          where m != null || caller.IsServerAdmin
                          orderby s.Title
                          select new { s.Id, s.Slug, s.Title, s.HostName, Role = m == null ? null : m.Role }).AsNoTracking().ToListAsync(ct);
        var sites = rows.Where(r => caller.MayReach(r.Id)).Select(r => new
        {
            id = r.Id,
            slug = r.Slug,
            title = r.Title,
            url = urls.BaseOf(r.Slug, r.HostName),
            role = r.Role ?? Roles.Administrator,
        });
        return Outcome<JsonElement>.Ok(JsonSerializer.SerializeToElement(new { sites }));
    }

    private static async Task<Outcome<JsonElement>> ProfileAsync(AbilityCall call, CancellationToken ct)
    {
        var user = await ProfileById(call.Services.GetRequiredService<PressDbContext>(), call.Caller.UserId, ct);
        if (user is null) return Problem.NotFound("your account no longer exists");
        return Outcome<JsonElement>.Ok(JsonSerializer.SerializeToElement(user, AbilityJson.Default.ProfileResult));
    }

    /// <summary>
    /// The caller's five profile fields, read with one plain command on the request's connection (opened by the access
    /// version read). This is the cheapest read tool and the one a load test calls most: EF Core's query pipeline
    /// (command, reader and materializer set-up) cost about 35 µs here against about 10 µs for the read itself, a
    /// sixth of the whole call (docs/performance.md, MCP). Same columns on both providers.
    /// </summary>
    private static async Task<ProfileResult?> ProfileById(PressDbContext db, long id, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "SELECT id, user_name, display_name, email, is_server_admin FROM users WHERE id = @id";
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@id";
            parameter.Value = id;
            command.Parameters.Add(parameter);
            await using var row = await command.ExecuteReaderAsync(ct);
            if (!await row.ReadAsync(ct)) return null;
            return new ProfileResult(row.GetInt64(0), row.IsDBNull(1) ? "" : row.GetString(1), row.GetString(2), row.IsDBNull(3) ? "" : row.GetString(3), row.GetBoolean(4));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

/// <summary>The <c>user/profile</c> result (its output schema's fields).</summary>
internal sealed record ProfileResult(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("login")] string Login,
    [property: JsonPropertyName("display_name")] string DisplayName,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("server_admin")] bool ServerAdmin);
