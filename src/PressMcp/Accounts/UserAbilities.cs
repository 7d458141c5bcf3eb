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

    // Compiled, and only the five fields: the cheapest read tool is the one a load test calls most.
    private static readonly Func<PressDbContext, long, CancellationToken, Task<ProfileResult?>> ProfileById = EF.CompileAsyncQuery(
        (PressDbContext db, long id, CancellationToken ct) =>
            db.Users.Where(u => u.Id == id)
                .Select(u => new ProfileResult(u.Id, u.UserName ?? "", u.DisplayName, u.Email ?? "", u.IsServerAdmin))
                .FirstOrDefault());
}

/// <summary>The <c>user/profile</c> result (its output schema's fields).</summary>
internal sealed record ProfileResult(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("login")] string Login,
    [property: JsonPropertyName("display_name")] string DisplayName,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("server_admin")] bool ServerAdmin);
