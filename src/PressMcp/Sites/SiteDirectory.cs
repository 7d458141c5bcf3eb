using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Storage;

namespace PressMcp.Sites;

internal sealed record NewSite(string Slug, string Title, string OwnerLogin, string? HostName = null, string? Tagline = null, string? TimeZone = null);

/// <summary>A new site's fields as <see cref="SiteDirectory.CheckAsync"/> normalized them.</summary>
internal sealed record SiteFields(string Slug, string Title, string? HostName, string TimeZone);

internal sealed record SiteSummary(long Id, string Slug, string Title, string? HostName, string Url, DateTime CreatedUtc);

internal sealed record MembershipSummary(long SiteId, string Slug, string Title, string Url, string Role);

internal sealed record MemberSummary(long UserId, string Login, string DisplayName, string Email, string Role);

/// <summary>Creating sites and managing who belongs to them, with one role per member.</summary>
internal sealed class SiteDirectory(PressDbContext db, SiteUrls urls, TimeProvider clock)
{
    public async Task<Outcome<Site>> CreateAsync(NewSite input, CancellationToken ct = default)
    {
        var checkedSite = await CheckAsync(input, ct);
        if (!checkedSite.Succeeded) return checkedSite.Problem!;
        var (slug, title, host, timeZone) = checkedSite.Value!;
        var normalizedOwner = input.OwnerLogin.Trim().ToUpperInvariant();
        var owner = await db.Users.FirstOrDefaultAsync(u => u.NormalizedUserName == normalizedOwner, ct);
        if (owner is null) return Problem.NotFound($"no user with the login '{input.OwnerLogin}'");

        var now = clock.GetUtcNow().UtcDateTime;
        var site = new Site { Slug = slug, Title = title, Tagline = input.Tagline?.Trim() ?? "", HostName = host, TimeZone = timeZone, CreatedUtc = now };

        // One transaction: the site, its default options and its first administrator, or nothing. A caller's
        // transaction is joined (first-run setup creates its administrator and the site together).
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        db.Sites.Add(site);
        await db.SaveChangesAsync(ct);
        db.SiteOptions.Add(new SiteOption { SiteId = site.Id, Name = "admin_email", Value = owner.Email ?? "" });
        db.SiteMembers.Add(new SiteMember { SiteId = site.Id, UserId = owner.Id, Role = Roles.Administrator, AddedUtc = now });
        await db.SaveChangesAsync(ct);
        if (tx is not null) await tx.CommitAsync(ct);
        return Outcome<Site>.Ok(site);
    }

    /// <summary>The site's slug, title, host name and time zone, normalized, when they are valid and free; its owner is not checked.</summary>
    public async Task<Outcome<SiteFields>> CheckAsync(NewSite input, CancellationToken ct = default)
    {
        var slug = input.Slug?.Trim() ?? "";
        if (SiteRules.ValidateSlug(slug) is { } slugError) return Problem.Invalid(slugError);
        var checkedTitle = SiteRules.Title(input.Title);
        if (!checkedTitle.Succeeded) return checkedTitle.Problem!;
        var title = checkedTitle.Value!;
        var host = SiteRules.NormalizeHostName(input.HostName, out var hostError);
        if (hostError is not null) return Problem.Invalid(hostError);
        var timeZone = string.IsNullOrWhiteSpace(input.TimeZone) ? "UTC" : input.TimeZone.Trim();
        if (SiteRules.ValidateTimeZone(timeZone) is { } tzError) return Problem.Invalid(tzError);
        if (await db.Sites.AnyAsync(s => s.Slug == slug, ct)) return Problem.Conflict($"a site with the slug '{slug}' already exists");
        if (host is not null && await db.Sites.AnyAsync(s => s.HostName == host, ct))
            return Problem.Conflict($"the host name '{host}' is already used by another site");
        return new SiteFields(slug, title, host, timeZone);
    }

    /// <summary>
    /// Adds a member, or changes the role of one who already belongs (the command line's <c>site add-user</c>).
    /// <paramref name="user"/> is a login or an e-mail address.
    /// </summary>
    public Task<Outcome<MemberSummary>> SetMemberAsync(Site site, string user, string role, CancellationToken ct = default) =>
        ChangeMembershipAsync(site, user, role, MembershipChange.AddOrChange, null, ct);

    /// <summary>Adds a user who is not yet a member (<c>site/add-member</c>).</summary>
    public Task<Outcome<MemberSummary>> AddMemberAsync(Site site, string user, string role, AbilityCall call, CancellationToken ct = default) =>
        ChangeMembershipAsync(site, user, role, MembershipChange.Add, call, ct);

    /// <summary>Changes a member's role (<c>site/update-member-role</c>); never the last administrator's.</summary>
    public Task<Outcome<MemberSummary>> ChangeRoleAsync(Site site, string user, string role, AbilityCall call, CancellationToken ct = default) =>
        ChangeMembershipAsync(site, user, role, MembershipChange.Change, call, ct);

    /// <summary>Removes a member (<c>site/remove-member</c>, <c>site remove-user</c>); never the last administrator.</summary>
    public Task<Outcome<MemberSummary>> RemoveMemberAsync(Site site, string user, CancellationToken ct = default) =>
        ChangeMembershipAsync(site, user, null, MembershipChange.Remove, null, ct);

    /// <summary><see cref="RemoveMemberAsync(Site, string, CancellationToken)"/> as an ability call, leaving a change record.</summary>
    public Task<Outcome<MemberSummary>> RemoveMemberAsync(Site site, string user, AbilityCall call, CancellationToken ct = default) =>
        ChangeMembershipAsync(site, user, null, MembershipChange.Remove, call, ct);

    private enum MembershipChange
    {
        AddOrChange,
        Add,
        Change,
        Remove,
    }

    /// <summary>
    /// The one home of the membership rules: a known role, a known user, one role per member, and at least one
    /// administrator left on the site. The last rule is decided inside one transaction that first locks the site's
    /// row, so two requests that each demote or remove one of the last two administrators run one after the other,
    /// and the second sees the first's change (without the lock, both would count the other as the remaining one).
    /// </summary>
    private async Task<Outcome<MemberSummary>> ChangeMembershipAsync(Site site, string userText, string? role, MembershipChange change, AbilityCall? call, CancellationToken ct)
    {
        if (role is not null && !Roles.IsKnown(role)) return Problem.Invalid($"unknown role '{role}' (use one of {Roles.Describe()})");
        var found = await FindUserAsync(userText, ct);
        if (!found.Succeeded) return found.Problem!;
        var user = found.Value!;
        var login = user.UserName!;

        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        // A write to the site's row takes its lock (PostgreSQL's row lock, SQLite's database write lock) until the
        // transaction ends. The column is one no trigger watches, so the access version does not move for nothing.
        await db.Sites.Where(s => s.Id == site.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.NextTermId, s => s.NextTermId), ct);
        var member = await db.SiteMembers.FirstOrDefaultAsync(m => m.SiteId == site.Id && m.UserId == user.Id, ct);
        var before = member?.Role;
        if (member is null)
        {
            if (change is MembershipChange.Change or MembershipChange.Remove) return Problem.NotFound($"'{login}' is not a member of '{site.Slug}'");
            member = new SiteMember { SiteId = site.Id, UserId = user.Id, Role = role!, AddedUtc = clock.GetUtcNow().UtcDateTime };
            db.SiteMembers.Add(member);
        }
        else
        {
            if (change == MembershipChange.Add)
                return Problem.Conflict($"'{login}' is already a member of '{site.Slug}' ({member.Role}); change their role instead");
            var losesAdministration = member.Role == Roles.Administrator && (change == MembershipChange.Remove || role != Roles.Administrator);
            if (losesAdministration && await IsLastAdministratorAsync(site.Id, user.Id, ct))
            {
                return Problem.Conflict(change == MembershipChange.Remove
                    ? $"'{login}' is the last administrator of '{site.Slug}' and cannot be removed; make someone else administrator first"
                    : $"'{login}' is the last administrator of '{site.Slug}'; make someone else administrator first");
            }
            if (change == MembershipChange.Remove) db.SiteMembers.Remove(member);
            else member.Role = role!;
        }
        if (call is not null)
        {
            var action = before is null ? "create" : change == MembershipChange.Remove ? "delete" : "update";
            db.ChangeRecords.Add(call.Change(MemberObjectType, user.Id, action, before is null ? null : new Dictionary<string, object?> { ["role"] = before }));
        }
        await db.SaveChangesAsync(ct);
        if (tx is not null) await tx.CommitAsync(ct);
        return new MemberSummary(user.Id, login, user.DisplayName, user.Email ?? "", member.Role);
    }

    /// <summary>The change records' object type for a membership (its object id is the user's id).</summary>
    public const string MemberObjectType = "member";

    public async Task<List<SiteSummary>> ListAsync(CancellationToken ct = default)
    {
        var sites = await db.Sites.AsNoTracking().OrderBy(s => s.Id).ToListAsync(ct);
        return sites.Select(s => new SiteSummary(s.Id, s.Slug, s.Title, s.HostName, urls.BaseOf(s), s.CreatedUtc)).ToList();
    }

    public async Task<List<MembershipSummary>> SitesOfAsync(long userId, CancellationToken ct = default)
    {
        var rows = await (from m in db.SiteMembers
                          join s in db.Sites on m.SiteId equals s.Id
                          where m.UserId == userId
                          orderby s.Title
                          select new { s.Id, s.Slug, s.Title, s.HostName, m.Role }).AsNoTracking().ToListAsync(ct);
        return rows.Select(r => new MembershipSummary(r.Id, r.Slug, r.Title, urls.BaseOf(r.Slug, r.HostName), r.Role)).ToList();
    }

    /// <summary>One page of the site's members by login, and how many there are in all (the members page).</summary>
    public async Task<(List<MemberSummary> Members, int Total)> MembersPageAsync(long siteId, int offset, int limit, CancellationToken ct = default)
    {
        var total = await db.SiteMembers.CountAsync(m => m.SiteId == siteId, ct);
        var members = await (from m in db.SiteMembers
                             join u in db.Users on m.UserId equals u.Id
                             where m.SiteId == siteId
                             orderby u.NormalizedUserName
                             select new MemberSummary(u.Id, u.UserName!, u.DisplayName, u.Email!, m.Role)).AsNoTracking().Skip(offset).Take(limit).ToListAsync(ct);
        return (members, total);
    }

    /// <summary>How many administrators the site has (the members page says when one is the last).</summary>
    public Task<int> AdministratorCountAsync(long siteId, CancellationToken ct = default) =>
        db.SiteMembers.CountAsync(m => m.SiteId == siteId && m.Role == Roles.Administrator, ct);

    public Task<List<MemberSummary>> MembersOfAsync(long siteId, CancellationToken ct = default) =>
        (from m in db.SiteMembers
         join u in db.Users on m.UserId equals u.Id
         where m.SiteId == siteId
         orderby u.UserName
         select new MemberSummary(u.Id, u.UserName!, u.DisplayName, u.Email!, m.Role)).AsNoTracking().ToListAsync(ct);

    /// <summary>
    /// A user by login, or else by e-mail address (as the members page and WordPress's "Add existing user" accept
    /// either). An address two accounts share names neither of them.
    /// </summary>
    private async Task<Outcome<User>> FindUserAsync(string text, CancellationToken ct)
    {
        var value = text?.Trim() ?? "";
        if (value.Length is 0 or > 256) return Problem.Invalid("give the user's login or e-mail address");
        var normalized = value.ToUpperInvariant();
        var byLogin = await db.Users.FirstOrDefaultAsync(u => u.NormalizedUserName == normalized, ct);
        if (byLogin is not null) return byLogin;
        if (!value.Contains('@', StringComparison.Ordinal)) return Problem.NotFound($"no user with the login '{value}'");
        var byEmail = await db.Users.Where(u => u.NormalizedEmail == normalized).Take(2).ToListAsync(ct);
        return byEmail.Count switch
        {
            1 => byEmail[0],
            0 => Problem.NotFound($"no user with the login or e-mail address '{value}'"),
            _ => Problem.Conflict($"more than one user has the e-mail address '{value}'; give the login instead"),
        };
    }

    private async Task<bool> IsLastAdministratorAsync(long siteId, long userId, CancellationToken ct) =>
        !await db.SiteMembers.AnyAsync(m => m.SiteId == siteId && m.UserId != userId && m.Role == Roles.Administrator, ct);
}
