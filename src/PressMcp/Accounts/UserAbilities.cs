using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Sites;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Accounts;

/// <summary><c>user/sites</c>: the sites this connection reaches, with the caller's role on each.</summary>
internal sealed class UserSitesAbility(PressDbContext db, SiteUrls urls) : Ability<NoInput, UserSitesResult>, IAbilityDefinition
{
    public const string Name = "user/sites";

    public static AbilityInfo Info { get; } = new(Name, "My sites", "Lists the sites this connection may use, with your role on each.", "user",
        AbilityAnnotations.Read, Scopes: [], Capability: null, SiteScoped: false, AbilityJson.Default.NoInput, UserJson.Default.UserSitesResult);

    protected override async Task<Outcome<UserSitesResult>> ExecuteAsync(NoInput input, AbilityCall call, CancellationToken ct)
    {
        var caller = call.Caller;
        var rows = await (from s in db.Sites
                          join m in db.SiteMembers.Where(m => m.UserId == caller.UserId) on s.Id equals m.SiteId into members
                          from m in members.DefaultIfEmpty()
                          where m != null || caller.IsServerAdmin
                          orderby s.Title
                          select new { s.Id, s.Slug, s.Title, s.HostName, Role = m == null ? null : m.Role }).AsNoTracking().ToListAsync(ct);
        return new UserSitesResult([.. rows.Where(r => caller.MayReach(r.Id))
            .Select(r => new UserSite(r.Id, r.Slug, r.Title, urls.BaseOf(r.Slug, r.HostName), r.Role ?? Roles.Administrator))]);
    }
}

/// <summary><c>user/profile</c>: the caller's own account.</summary>
internal sealed class UserProfileAbility(PressDbContext db) : Ability<NoInput, ProfileResult>, IAbilityDefinition
{
    public const string Name = "user/profile";

    public static AbilityInfo Info { get; } = new(Name, "My profile", "Shows your own account: login, display name, e-mail and whether you operate the server.", "user",
        AbilityAnnotations.Read, Scopes: [], Capability: null, SiteScoped: false, AbilityJson.Default.NoInput, UserJson.Default.ProfileResult);

    protected override async Task<Outcome<ProfileResult>> ExecuteAsync(NoInput input, AbilityCall call, CancellationToken ct)
    {
        // One plain command on the request's connection (see UserRows.ProfileAsync for why not EF Core).
        var user = await UserRows.ProfileAsync(db, call.Caller.UserId, ct);
        if (user is null) return Problem.NotFound("your account no longer exists");
        return user;
    }
}

internal sealed record UserSitesResult(IReadOnlyList<UserSite> Sites);

internal sealed record UserSite(long Id, string Slug, string Title, string Url, string Role);

internal sealed record ProfileResult(long Id, string Login, string DisplayName, string Email, bool ServerAdmin);

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(UserSitesResult))]
[JsonSerializable(typeof(ProfileResult))]
internal sealed partial class UserJson : JsonSerializerContext;
