using Microsoft.EntityFrameworkCore;
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
        var owner = await FindUserAsync(input.OwnerLogin, ct);
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
        var title = input.Title?.Trim() ?? "";
        if (title.Length == 0) return Problem.Invalid("the title is empty");
        if (title.Length > 200) return Problem.Invalid("the title is longer than 200 characters");
        var host = SiteRules.NormalizeHostName(input.HostName, out var hostError);
        if (hostError is not null) return Problem.Invalid(hostError);
        var timeZone = string.IsNullOrWhiteSpace(input.TimeZone) ? "UTC" : input.TimeZone.Trim();
        if (SiteRules.ValidateTimeZone(timeZone) is { } tzError) return Problem.Invalid(tzError);
        if (await db.Sites.AnyAsync(s => s.Slug == slug, ct)) return Problem.Conflict($"a site with the slug '{slug}' already exists");
        if (host is not null && await db.Sites.AnyAsync(s => s.HostName == host, ct))
            return Problem.Conflict($"the host name '{host}' is already used by another site");
        return new SiteFields(slug, title, host, timeZone);
    }

    /// <summary>Adds a member, or changes the role of one who already belongs.</summary>
    public async Task<Outcome<SiteMember>> SetMemberAsync(Site site, string login, string role, CancellationToken ct = default)
    {
        if (!Roles.IsKnown(role)) return Problem.Invalid($"unknown role '{role}' (use one of {Roles.Describe()})");
        var user = await FindUserAsync(login, ct);
        if (user is null) return Problem.NotFound($"no user with the login '{login}'");

        var member = await db.SiteMembers.FirstOrDefaultAsync(m => m.SiteId == site.Id && m.UserId == user.Id, ct);
        if (member is null)
        {
            member = new SiteMember { SiteId = site.Id, UserId = user.Id, Role = role, AddedUtc = clock.GetUtcNow().UtcDateTime };
            db.SiteMembers.Add(member);
        }
        else
        {
            if (member.Role == Roles.Administrator && role != Roles.Administrator && await IsLastAdministratorAsync(site.Id, user.Id, ct))
                return Problem.Conflict($"'{login}' is the last administrator of '{site.Slug}'; make someone else administrator first");
            member.Role = role;
        }
        await db.SaveChangesAsync(ct);
        return Outcome<SiteMember>.Ok(member);
    }

    public async Task<Outcome<bool>> RemoveMemberAsync(Site site, string login, CancellationToken ct = default)
    {
        var user = await FindUserAsync(login, ct);
        if (user is null) return Problem.NotFound($"no user with the login '{login}'");
        var member = await db.SiteMembers.FirstOrDefaultAsync(m => m.SiteId == site.Id && m.UserId == user.Id, ct);
        if (member is null) return Problem.NotFound($"'{login}' is not a member of '{site.Slug}'");
        if (member.Role == Roles.Administrator && await IsLastAdministratorAsync(site.Id, user.Id, ct))
            return Problem.Conflict($"'{login}' is the last administrator of '{site.Slug}' and cannot be removed");
        db.SiteMembers.Remove(member);
        await db.SaveChangesAsync(ct);
        return Outcome<bool>.Ok(true);
    }

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

    public Task<List<MemberSummary>> MembersOfAsync(long siteId, CancellationToken ct = default) =>
        (from m in db.SiteMembers
         join u in db.Users on m.UserId equals u.Id
         where m.SiteId == siteId
         orderby u.UserName
         select new MemberSummary(u.Id, u.UserName!, u.DisplayName, u.Email!, m.Role)).AsNoTracking().ToListAsync(ct);

    private Task<User?> FindUserAsync(string login, CancellationToken ct)
    {
        var normalized = login.Trim().ToUpperInvariant();
        return db.Users.FirstOrDefaultAsync(u => u.NormalizedUserName == normalized, ct);
    }

    private async Task<bool> IsLastAdministratorAsync(long siteId, long userId, CancellationToken ct) =>
        !await db.SiteMembers.AnyAsync(m => m.SiteId == siteId && m.UserId != userId && m.Role == Roles.Administrator, ct);
}
