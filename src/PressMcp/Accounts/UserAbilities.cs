using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Content.Search;
using PressMcp.Sites;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Accounts;

/// <summary>
/// <c>user/sites</c>: the sites this connection reaches, with the caller's role on each, found by <c>search</c> (title,
/// slug or host name) and <c>status</c> (<c>public</c>: search engines are welcome; <c>private</c>: the site asks them
/// to stay away, Reading's <c>blog_public</c> off) and <c>custom_domain</c> (served on a host name of its own).
/// </summary>
internal sealed class UserSitesAbility(PressDbContext db, SiteUrls urls) : Ability<UserSitesInput, UserSitesResult>, IAbilityDefinition
{
    public const string Name = "user/sites";

    public static AbilityInfo Info { get; } = new(Name, "My sites", "Lists the sites this connection may use, with your role on each; search by title, slug or host name, filter by status (public or private) or custom domain.", "user",
        AbilityAnnotations.Read, Scopes: [], Capability: null, SiteScoped: false, UserJson.Default.UserSitesInput, UserJson.Default.UserSitesResult);

    protected override async Task<Outcome<UserSitesResult>> ExecuteAsync(UserSitesInput input, AbilityCall call, CancellationToken ct)
    {
        var filters = input.Filters ?? new UserSitesFilters();
        var search = filters.Search ?? input.Search;
        var status = filters.Status ?? filters.Privacy ?? input.Status;
        var customDomain = filters.CustomDomain ?? input.CustomDomain;
        if (Disagreement(input, filters) is { } disagreement) return Problem.Invalid(disagreement);
        // Every PressMcp site is a self-hosted production site: WordPress.com's other platforms and environments hold none.
        if (input.Platform is not (null or PlatformAll or PlatformJetpack) || input.Environment is not (null or EnvironmentProduction or EnvironmentAll))
            return new UserSitesResult([]) { Found = 0, Page = input.Page, PerPage = input.PerPage };

        var caller = call.Caller;
        var sites = db.Sites.AsQueryable();
        if (search?.Trim() is { Length: > 0 } searchText)
        {
            var text = searchText.ToLowerInvariant();
            sites = sites.Where(s => s.Title.ToLower().Contains(text) || s.Slug.ToLower().Contains(text) || (s.HostName != null && s.HostName.ToLower().Contains(text)));
        }
        if (customDomain is { } custom) sites = sites.Where(s => (s.HostName != null) == custom);
        var rows = await (from s in sites
                          join m in db.SiteMembers.Where(m => m.UserId == caller.UserId) on s.Id equals m.SiteId into members
                          from m in members.DefaultIfEmpty()
                          where m != null || caller.IsServerAdmin
                          orderby s.Title
                          select new
                          {
                              s.Id, s.Slug, s.Title, s.HostName, Role = m == null ? null : m.Role,
                              // Reading's blog_public, or its default (public) when never written.
                              Hidden = db.SiteOptions.Any(o => o.SiteId == s.Id && o.Name == BlogPublic && o.Value == "0"),
                          }).AsNoTracking().ToListAsync(ct);
        var reachable = rows.Where(r => caller.MayReach(r.Id) && (status is null || (status == Private) == r.Hidden)).ToList();
        var page = reachable.Skip((input.Page - 1) * input.PerPage).Take(input.PerPage).ToList();
        var metrics = input.IncludeMetrics == true ? await MetricsAsync([.. page.Select(r => r.Id)], ct) : null;
        return new UserSitesResult([.. page.Select(r => new UserSite(r.Id, r.Slug, r.Title, urls.BaseOf(r.Slug, r.HostName), r.Role ?? Roles.Administrator)
            {
                Status = r.Hidden ? Private : Public,
                CustomDomain = r.HostName,
                Metrics = metrics?.GetValueOrDefault(r.Id) ?? (metrics is null ? null : new UserSiteMetrics(0, 0)),
            })])
        {
            Found = reachable.Count, Page = input.Page, PerPage = input.PerPage,
        };
    }

    /// <summary>Published posts and pages, and views over the last 30 days, of one page of sites: two grouped queries.</summary>
    private async Task<Dictionary<long, UserSiteMetrics>> MetricsAsync(long[] siteIds, CancellationToken ct)
    {
        var posts = await db.Posts.Where(p => siteIds.Contains(p.SiteId) && (p.Type == Content.PostTypes.Post || p.Type == Content.PostTypes.Page) && p.Status == Content.PostStatuses.Publish)
            .GroupBy(p => p.SiteId).Select(g => new { SiteId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.SiteId, g => (long)g.Count, ct);
        // Days are the site's own; a day either side of the 30 in UTC is close enough for a summary.
        var since = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-(MetricsDays - 1));
        var views = await db.SiteDailyViews.Where(v => siteIds.Contains(v.SiteId) && v.Day >= since)
            .GroupBy(v => v.SiteId).Select(g => new { SiteId = g.Key, Views = g.Sum(v => v.Views) }).ToDictionaryAsync(g => g.SiteId, g => g.Views, ct);
        return siteIds.ToDictionary(id => id, id => new UserSiteMetrics(posts.GetValueOrDefault(id), views.GetValueOrDefault(id)));
    }

    /// <summary>A filter given both at the top level (PressMcp's earlier place) and in <c>filters</c>, with different values.</summary>
    private static string? Disagreement(UserSitesInput input, UserSitesFilters filters) =>
        input.Search is not null && filters.Search is not null && input.Search != filters.Search ? "search and filters.search disagree; give one of them"
        : input.Status is not null && (filters.Status ?? filters.Privacy) is { } inner && inner != input.Status ? "status and filters.status (or filters.privacy) disagree; give one of them"
        : filters.Status is not null && filters.Privacy is not null && filters.Status != filters.Privacy ? "filters.status and filters.privacy disagree; give one of them"
        : input.CustomDomain is not null && filters.CustomDomain is not null && input.CustomDomain != filters.CustomDomain ? "custom_domain and filters.custom_domain disagree; give one of them"
        : null;

    public const int MetricsDays = 30;
    public const int MaxPerPage = 100;
    public const string PlatformAll = "all";
    public const string PlatformJetpack = "jetpack";
    public const string EnvironmentProduction = "production";
    public const string EnvironmentAll = "all";

    public const string Public = "public";
    public const string Private = "private";
    private const string BlogPublic = "blog_public";
}

/// <summary><c>user/profile</c>: the caller's own account, from <see cref="ProfileCache"/> while the access version stands.</summary>
internal sealed class UserProfileAbility(Deferred<PressDbContext> db, SiteUrls urls, AccessVersion version, ProfileCache cache) : Ability<NoInput, ProfileResult>, IAbilityDefinition
{
    public const string Name = "user/profile";

    public static AbilityInfo Info { get; } = new(Name, "My profile", "Shows your own account: login, display name (the author name posts show), e-mail, website, biographical info, how many sites you belong to, your primary site (the first you joined) and whether you operate the server.", "user",
        AbilityAnnotations.Read, Scopes: [], Capability: null, SiteScoped: false, AbilityJson.Default.NoInput, UserJson.Default.ProfileResult);

    protected override async Task<Outcome<ProfileResult>> ExecuteAsync(NoInput input, AbilityCall call, CancellationToken ct)
    {
        var userId = call.Caller.UserId;
        // The version before the read: what is read after it is at least that new, so it may be kept under it.
        var current = await version.CurrentAsync(ct);
        if (cache.Profiles.TryGet(userId, current, out var cached)) return cached;
        // One plain command on the request's connection (see UserRows.ProfileAsync for why not EF Core).
        var user = await UserRows.ProfileAsync(db.Value, urls, userId, ct);
        if (user is null) return Problem.NotFound("your account no longer exists");
        cache.Profiles.Set(userId, current, user);
        return user;
    }
}

/// <summary>
/// <c>user/update-profile</c>: changes the caller's own display name, e-mail, website or biographical info (the fields
/// given; the others stay). The profile page runs it for the person; an agent may too, once its user turns write tools
/// on. No scope narrows it, as none of the scopes is about the user's own account (like <c>user/profile</c>).
/// </summary>
internal sealed class UpdateProfileAbility(UserManager<User> users, PressDbContext db, SiteUrls urls) : Ability<UpdateProfileInput, ProfileResult>, IAbilityDefinition
{
    public const string Name = "user/update-profile";

    public static AbilityInfo Info { get; } = new(Name, "Update my profile",
        "Changes your own display name (the author name your posts and comments show), e-mail address, website or biographical info. Only the fields given change.", "user",
        AbilityAnnotations.Write with { Idempotent = true }, Scopes: [], Capability: null, SiteScoped: false, UserJson.Default.UpdateProfileInput, UserJson.Default.ProfileResult);

    protected override async Task<Outcome<ProfileResult>> ExecuteAsync(UpdateProfileInput input, AbilityCall call, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == call.Caller.UserId, ct);
        if (user is null) return Problem.NotFound("your account no longer exists");
        // Every field is checked before any is changed, so a refusal changes nothing.
        var problems = new List<string>();
        if (input.DisplayName is { } name && UserProfileRules.CheckDisplayName(name) is { } nameProblem) problems.Add(nameProblem);
        if (input.Website is { } site && UserProfileRules.CheckWebsite(site) is { } siteProblem) problems.Add(siteProblem);
        if (input.Bio is { } bio && UserProfileRules.CheckBio(bio) is { } bioProblem) problems.Add(bioProblem);
        var email = input.Email?.Trim();
        if (email is not null)
        {
            if (!UserAccounts.IsEmail(email)) problems.Add($"e-mail: '{Shorten(email)}' is not a valid e-mail address");
            else if (await users.FindByEmailAsync(email) is { } holder && holder.Id != user.Id) problems.Add($"e-mail: '{email}' is already used by another account");
        }
        if (problems.Count > 0) return Problem.Invalid(string.Join("; ", problems));

        if (input.DisplayName is not null) user.DisplayName = input.DisplayName.Trim();
        if (input.Website is not null) user.Website = input.Website.Trim();
        if (input.Bio is not null) user.Bio = input.Bio.ReplaceLineEndings("\n");
        if (email is not null)
        {
            // Set directly, not with SetEmailAsync: that would renew the security stamp and sign the person out, and
            // an e-mail address here is a sign-in name, not a way to recover the account.
            user.Email = email;
            user.NormalizedEmail = users.NormalizeEmail(email);
        }
        // UpdateAsync runs Identity's validators again (a unique e-mail, should another account have taken it since).
        var saved = await users.UpdateAsync(user);
        if (!saved.Succeeded) return Problem.Conflict(UserAccounts.Describe(saved));
        return await UserRows.ProfileAsync(db, urls, user.Id, ct) is { } profile ? profile : Problem.NotFound("your account no longer exists");
    }

    private static string Shorten(string value) => value.Length > 80 ? value[..80] + "…" : value;
}

internal sealed record UpdateProfileInput
{
    // Lengths are UserProfileRules' to check (not the schema's), so a refusal reads the same on the page and over MCP.
    [Description("The name your posts and comments show as their author (at most 250 characters)")]
    public string? DisplayName { get; init; }

    [Description("Your e-mail address; you can also sign in with it. Unique among users")]
    public string? Email { get; init; }

    [Description("An https:// or http:// address of at most 200 characters, or empty to remove it")]
    public string? Website { get; init; }

    [Description("Biographical info, plain text of at most 5,000 characters")]
    public string? Bio { get; init; }
}

internal sealed record UserSitesInput
{
    [Description("WordPress.com's filters: search, status or privacy, custom_domain (each also accepted at the top level)")]
    public UserSitesFilters? Filters { get; init; }

    [StringLength(200, MinimumLength = 1), Description("Text to find in the site's title, slug or host name (case-insensitive); same as filters.search")]
    public string? Search { get; init; }

    [AllowedValues(UserSitesAbility.Public, UserSitesAbility.Private), Description("Same as filters.status")]
    public string? Status { get; init; }

    [Description("Same as filters.custom_domain")]
    public bool? CustomDomain { get; init; }

    [AllowedValues(UserSitesAbility.PlatformAll, "simple", "atomic", UserSitesAbility.PlatformJetpack),
     Description("WordPress.com's platform filter. Every PressMcp site is self-hosted: all (default) and jetpack list them, simple and atomic (WordPress.com-hosted) list none")]
    public string? Platform { get; init; }

    [AllowedValues("user"), Description("WordPress.com's ownership filter: user (the default and only value), the sites you may use")]
    public string? Ownership { get; init; }

    [AllowedValues(UserSitesAbility.EnvironmentProduction, "staging", "test", UserSitesAbility.EnvironmentAll),
     Description("WordPress.com's environment filter. PressMcp has no staging or test sites: production (default) and all list every site, staging and test none")]
    public string? Environment { get; init; }

    [Description("Add each site's metrics: published posts and pages, and views over the last 30 days")]
    public bool? IncludeMetrics { get; init; }

    [Range(1, Paging.MaxPage), Description(Paging.PageDescription)]
    public int Page { get; set; } = 1;

    [Range(1, UserSitesAbility.MaxPerPage), Description("Sites per page: default and at most 100")]
    public int PerPage { get; set; } = UserSitesAbility.MaxPerPage;
}

/// <summary>WordPress.com's <c>filters</c> object of wpcom-mcp-user-sites ("filtering (search, status, privacy, custom domain)").</summary>
internal sealed record UserSitesFilters
{
    [StringLength(200, MinimumLength = 1), Description("Text to find in the site's title, slug or host name (case-insensitive)")]
    public string? Search { get; init; }

    [AllowedValues(UserSitesAbility.Public, UserSitesAbility.Private), Description("public: search engines are welcome; private: the site asks them to stay away (Reading's blog_public off). PressMcp sites have no launch states")]
    public string? Status { get; init; }

    [AllowedValues(UserSitesAbility.Public, UserSitesAbility.Private), Description("The same as status: the one privacy setting a PressMcp site has")]
    public string? Privacy { get; init; }

    [Description("true: only sites served on a host name of their own; false: only sites under /sites/{slug}")]
    public bool? CustomDomain { get; init; }
}

internal sealed record UserSitesResult(IReadOnlyList<UserSite> Sites)
{
    [Description("Sites that match, over every page")]
    public int Found { get; init; }

    public int Page { get; init; } = 1;

    public int PerPage { get; init; } = UserSitesAbility.MaxPerPage;
}

internal sealed record UserSiteMetrics(
    [property: Description("Published posts and pages")] long Posts,
    [property: Description("Page views over the last 30 days")] long Views);

internal sealed record UserSite(long Id, string Slug, string Title, string Url, string Role)
{
    [AllowedValues(UserSitesAbility.Public, UserSitesAbility.Private), Description("public, or private when the site asks search engines to stay away")]
    public string Status { get; init; } = UserSitesAbility.Public;

    [Description("The site's own host name, or null when it is served under /sites/{slug}")]
    public string? CustomDomain { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("With include_metrics only")]
    public UserSiteMetrics? Metrics { get; init; }
}

internal sealed record ProfileResult(long Id, string Login, string DisplayName, string Email, bool ServerAdmin, string Website, string Bio, int SiteCount)
{
    [Description("WordPress.com's primary_blog: the id of the first site you joined (null when you belong to none)")]
    public long? PrimaryBlog { get; init; }

    [Description("That site's address")]
    public string? PrimaryBlogUrl { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(UserSitesInput))]
[JsonSerializable(typeof(UserSitesResult))]
[JsonSerializable(typeof(ProfileResult))]
[JsonSerializable(typeof(UpdateProfileInput))]
internal sealed partial class UserJson : JsonSerializerContext;
