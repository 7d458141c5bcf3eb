using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Accounts;

/// <summary>A user as the server administrators' Users page lists them.</summary>
internal sealed record AdminUserRow(
    long Id, string Login, string Email, string DisplayName, bool IsServerAdmin, DateTime? DisabledUtc, DateTimeOffset? LockoutEnd, int Sites, DateTime CreatedUtc);

internal sealed record AdminUserPage(IReadOnlyList<AdminUserRow> Rows, int Total, int Page, int PageSize)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>What deleting a user did: whose content it became, and the sites where that user became administrator.</summary>
internal sealed record UserRemoval(string Login, string HeirLogin, int PostsReassigned, IReadOnlyList<string> SitesHandedOver);

/// <summary>
/// What a server administrator does to other accounts (the Users page and <c>pressmcp user</c> commands share it):
/// disable and enable, reset a password, grant or remove server administration, delete with the content reassigned.
/// Two rules hold whoever asks: the server keeps at least one enabled server administrator, and an administrator
/// (<c>actingUserId</c>) never disables or deletes their own account.
/// </summary>
internal sealed class UserAdministration(UserManager<User> users, UserAccounts accounts, PressDbContext db, TimeProvider clock)
{
    public const int PageSize = 50;
    public const int MaxSearchLength = 100;
    private const int GeneratedPasswordLength = 20;
    // No look-alike characters (0 O 1 l I): a generated password is read off the screen and typed or pasted elsewhere.
    private const string PasswordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>One page of users whose login, e-mail or display name contains <paramref name="search"/>, by login.</summary>
    public async Task<AdminUserPage> ListAsync(string? search, int page, CancellationToken ct)
    {
        var term = search?.Trim() ?? "";
        if (term.Length > MaxSearchLength) term = term[..MaxSearchLength];
        var query = db.Users.AsNoTracking();
        if (term.Length > 0)
        {
            // Case-insensitive on both providers: the normalized columns are upper case, the display name is compared lowered.
            var upper = term.ToUpperInvariant();
            var lower = term.ToLowerInvariant();
            query = query.Where(u => u.NormalizedUserName!.Contains(upper) || u.NormalizedEmail!.Contains(upper) || u.DisplayName.ToLower().Contains(lower));
        }
        var total = await query.CountAsync(ct);
        page = Math.Clamp(page, 1, Math.Max(1, (total + PageSize - 1) / PageSize));
        // The site counts come from one grouped subquery, not one query per row.
        var rows = await query.OrderBy(u => u.NormalizedUserName).Skip((page - 1) * PageSize).Take(PageSize)
            .Select(u => new AdminUserRow(u.Id, u.UserName!, u.Email ?? "", u.DisplayName, u.IsServerAdmin, u.DisabledUtc, u.LockoutEnd,
                db.SiteMembers.Count(m => m.UserId == u.Id), u.CreatedUtc))
            .ToListAsync(ct);
        return new AdminUserPage(rows, total, page, PageSize);
    }

    public async Task<Outcome<User>> DisableAsync(long userId, long? actingUserId, CancellationToken ct)
    {
        var user = await accounts.FindByIdAsync(userId);
        if (user is null) return NoSuchUser(userId);
        if (userId == actingUserId) return Problem.Conflict("you cannot disable your own account");
        if (user.IsDisabled) return Problem.Conflict($"'{user.UserName}' is already disabled");
        if (user.IsServerAdmin && !await OtherEnabledServerAdminExistsAsync(user.Id, ct))
            return Problem.Conflict($"'{user.UserName}' is the last enabled server administrator; make someone else server administrator first");
        user.DisabledUtc = clock.GetUtcNow().UtcDateTime;
        // One update: the flag (which moves the access version, so cached MCP decisions and remembered Application
        // Passwords drop) and a new security stamp (so the cookie sessions end at their next request).
        await users.UpdateSecurityStampAsync(user);
        return user;
    }

    public async Task<Outcome<User>> EnableAsync(long userId, CancellationToken ct)
    {
        var user = await accounts.FindByIdAsync(userId);
        if (user is null) return NoSuchUser(userId);
        if (!user.IsDisabled) return Problem.Conflict($"'{user.UserName}' is not disabled");
        user.DisabledUtc = null;
        var saved = await users.UpdateAsync(user);
        return saved.Succeeded ? user : Problem.Invalid(UserAccounts.Describe(saved));
    }

    /// <summary>
    /// Sets <paramref name="password"/>, or a generated one when it is empty (returned, to be shown once). Ends the
    /// user's sessions and clears a sign-in lock, as <see cref="UserAccounts.SetPasswordAsync"/> does.
    /// </summary>
    public async Task<Outcome<(User User, string? Generated)>> ResetPasswordAsync(long userId, string? password, CancellationToken ct)
    {
        var user = await accounts.FindByIdAsync(userId);
        if (user is null) return NoSuchUser(userId);
        string? generated = null;
        if (string.IsNullOrEmpty(password))
        {
            // The login rule of PasswordRules could, rarely, refuse a random password that contains a short login.
            do generated = RandomNumberGenerator.GetString(PasswordAlphabet, GeneratedPasswordLength);
            while (user.UserName!.Length >= 3 && generated.Contains(user.UserName, StringComparison.OrdinalIgnoreCase));
        }
        var set = await accounts.SetPasswordAsync(user.UserName!, generated ?? password!, ct);
        if (!set.Succeeded) return set.Problem!;
        return (set.Value!, generated);
    }

    public async Task<Outcome<User>> SetServerAdminAsync(long userId, bool isServerAdmin, CancellationToken ct)
    {
        var user = await accounts.FindByIdAsync(userId);
        if (user is null) return NoSuchUser(userId);
        if (user.IsServerAdmin == isServerAdmin)
            return Problem.Conflict($"'{user.UserName}' {(isServerAdmin ? "is already" : "is not")} a server administrator");
        if (!isServerAdmin && !await OtherEnabledServerAdminExistsAsync(user.Id, ct))
            return Problem.Conflict($"'{user.UserName}' is the last enabled server administrator; make someone else server administrator first");
        user.IsServerAdmin = isServerAdmin;
        var saved = await users.UpdateAsync(user);
        return saved.Succeeded ? user : Problem.Invalid(UserAccounts.Describe(saved));
    }

    /// <summary>
    /// Deletes a user after giving their posts and pages on every site to <paramref name="heirLogin"/> (WordPress's
    /// "attribute all content to"). Their memberships, OAuth grants and tokens, Application Passwords and MCP settings
    /// go with the account (the database cascades); on a site where they were the last administrator, the heir becomes
    /// administrator, so no site is left without one. Comments they wrote keep their author name. All or nothing.
    /// </summary>
    public async Task<Outcome<UserRemoval>> DeleteAsync(long userId, string heirLogin, long? actingUserId, CancellationToken ct)
    {
        var user = await accounts.FindByIdAsync(userId);
        if (user is null) return NoSuchUser(userId);
        if (userId == actingUserId) return Problem.Conflict("you cannot delete your own account");
        if (string.IsNullOrWhiteSpace(heirLogin)) return Problem.Invalid("choose the user who gets the content (their login)");
        var heir = await accounts.FindByLoginAsync(heirLogin.Trim());
        if (heir is null) return Problem.NotFound($"no user with the login '{heirLogin.Trim()}' to give the content to");
        if (heir.Id == user.Id) return Problem.Invalid("the content must go to another user than the one deleted");
        if (user.IsServerAdmin && !await OtherEnabledServerAdminExistsAsync(user.Id, ct))
            return Problem.Conflict($"'{user.UserName}' is the last enabled server administrator; make someone else server administrator first");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var posts = await db.Posts.Where(p => p.AuthorId == user.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.AuthorId, heir.Id), ct);

        // Sites where the deleted user is the only administrator: the heir takes over as administrator.
        var orphaned = await db.SiteMembers.Where(m => m.UserId == user.Id && m.Role == Roles.Administrator
                && !db.SiteMembers.Any(o => o.SiteId == m.SiteId && o.UserId != user.Id && o.Role == Roles.Administrator))
            .Join(db.Sites, m => m.SiteId, s => s.Id, (m, s) => new { s.Id, s.Slug }).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var site in orphaned)
        {
            var existing = await db.SiteMembers.FirstOrDefaultAsync(m => m.SiteId == site.Id && m.UserId == heir.Id, ct);
            if (existing is null) db.SiteMembers.Add(new SiteMember { SiteId = site.Id, UserId = heir.Id, Role = Roles.Administrator, AddedUtc = now });
            else existing.Role = Roles.Administrator;
        }
        await db.SaveChangesAsync(ct);

        var deleted = await users.DeleteAsync(user);
        if (!deleted.Succeeded) return Problem.Invalid(UserAccounts.Describe(deleted));
        await tx.CommitAsync(ct);
        return new UserRemoval(user.UserName!, heir.UserName!, posts, [.. orphaned.Select(s => s.Slug)]);
    }

    private Task<bool> OtherEnabledServerAdminExistsAsync(long userId, CancellationToken ct) =>
        db.Users.AnyAsync(u => u.IsServerAdmin && u.DisabledUtc == null && u.Id != userId, ct);

    private static Problem NoSuchUser(long id) => Problem.NotFound($"no user with the id {id.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
}
