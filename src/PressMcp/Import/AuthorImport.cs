using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Import;

/// <summary>Who wrote what: export logins and export author ids mapped to local users.</summary>
internal sealed class AuthorMap
{
    private readonly Dictionary<string, long> _byLogin = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<long, long> _bySourceId = [];

    public void Add(WxrAuthor author, long userId)
    {
        _byLogin[author.Login] = userId;
        if (author.SourceId is > 0 and var id) _bySourceId[id] = userId;
    }

    public long? ByLogin(string login) => login.Length > 0 && _byLogin.TryGetValue(login, out var id) ? id : null;

    public long? BySourceId(long sourceId) => sourceId > 0 && _bySourceId.TryGetValue(sourceId, out var id) ? id : null;

    /// <summary>The users by their id in the exporting site (only positive ids are kept).</summary>
    public IEnumerable<(long SourceId, long UserId)> BySourceIds => _bySourceId.Select(e => (e.Key, e.Value));
}

/// <summary>
/// Authors: matched to existing users by login, otherwise created without a usable password (they cannot sign
/// in until an operator sets one), and made authors of the site unless already members. Counted as created
/// (new user), updated (an existing user who became a member) or skipped.
/// </summary>
internal sealed class AuthorImport(PressDbContext db, UserAccounts accounts, TimeProvider clock)
{
    /// <summary>A reserved top-level domain (RFC 2606): an imported author's address that can never receive mail.</summary>
    public const string PlaceholderDomain = "imported.invalid";

    /// <summary>
    /// Looks the authors up before the final transaction (reads only), so the write lock is not held while
    /// they are found; those still missing when it runs are created inside it.
    /// </summary>
    public async Task<List<(WxrAuthor Author, string Login, User? User)>> FindAsync(IEnumerable<WxrAuthor> authors)
    {
        var found = new List<(WxrAuthor, string, User?)>();
        foreach (var author in authors)
        {
            var login = LocalLogin(author.Login);
            found.Add((author, login, await accounts.FindByLoginAsync(login)));
        }
        return found;
    }

    public async Task<Outcome<AuthorMap>> ApplyAsync(Site site, List<(WxrAuthor Author, string Login, User? User)> authors, ImportReport report, CancellationToken ct)
    {
        var map = new AuthorMap();
        foreach (var (author, login, known) in authors)
        {
            var user = known ?? await accounts.FindByLoginAsync(login);
            var created = user is null;
            if (user is null)
            {
                var made = await CreateAsync(login, author, ct);
                if (!made.Succeeded) return made.Problem!;
                user = made.Value!;
            }
            var joined = await JoinAsync(site, user.Id, ct);
            // Saved one by one: two export logins may name the same local user ("John Doe", "John_Doe").
            await db.SaveChangesAsync(ct);
            report.Count(ImportKind.Authors, created, joined);
            map.Add(author, user.Id);
        }
        return Outcome<AuthorMap>.Ok(map);
    }

    /// <summary>
    /// WordPress logins may hold spaces and other characters ours do not; those become '_' (the same way
    /// every time, so a second import finds the same user).
    /// </summary>
    public static string LocalLogin(string login)
    {
        var chars = login.Trim().Select(c => AccountServices.AllowedLoginCharacters.Contains(c) ? c : '_').ToArray();
        var local = new string(chars);
        return local.Length <= UserAccounts.MaxLoginLength ? local : local[..UserAccounts.MaxLoginLength];
    }

    private async Task<Outcome<User>> CreateAsync(string login, WxrAuthor author, CancellationToken ct)
    {
        // The export's address when it is usable; when it is missing, malformed or already someone else's,
        // a placeholder, rather than refusing the import or merging two people into one account.
        if (author.Email.Length > 0)
        {
            var withEmail = await accounts.CreateAsync(new NewUser(login, author.Email, Password: null, DisplayName: author.DisplayName), ct);
            if (withEmail.Succeeded) return withEmail;
        }
        var placeholder = login.Replace('@', '.') + "@" + PlaceholderDomain;
        var created = await accounts.CreateAsync(new NewUser(login, placeholder, Password: null, DisplayName: author.DisplayName), ct);
        return created.Succeeded ? created : Problem.Invalid($"cannot create the author '{author.Login}': {created.Problem!.Message}");
    }

    private async Task<bool> JoinAsync(Site site, long userId, CancellationToken ct)
    {
        if (await db.SiteMembers.AnyAsync(m => m.SiteId == site.Id && m.UserId == userId, ct)) return false;
        db.SiteMembers.Add(new SiteMember { SiteId = site.Id, UserId = userId, Role = Roles.Author, AddedUtc = clock.GetUtcNow().UtcDateTime });
        return true;
    }
}
