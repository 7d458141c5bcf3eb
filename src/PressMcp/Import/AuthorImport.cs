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

/// <summary>How an author of the export became a local user (<see cref="AuthorOutcome"/>).</summary>
internal enum AuthorResolution
{
    /// <summary>Named by <c>--author-map</c>: an existing member of the site who may write posts.</summary>
    Mapped,
    /// <summary>A user of that login who is already a member of the site.</summary>
    Member,
    /// <summary>No user had that login: one was created and made an author of the site.</summary>
    Created,
    /// <summary>The login belongs to a user who is not a member: a new user was created under the next free login.</summary>
    CreatedUnderAnotherLogin,
}

/// <summary>One line of the report: the export's login, the local login it became, and how.</summary>
internal sealed record AuthorOutcome(string ExportLogin, string LocalLogin, AuthorResolution How);

/// <summary>What the person importing decides about authors: export login → local login (<c>--author-map old=new</c>).</summary>
internal sealed record ImportOptions(IReadOnlyDictionary<string, string> AuthorMap)
{
    public static readonly ImportOptions None = new(new Dictionary<string, string>());

    /// <summary>How pass 2 shares the database with live writers (batch length, pause between batches).</summary>
    public ImportPacing Pacing { get; init; } = ImportPacing.Default;

    /// <summary>Called after each committed batch of pass 2, before the pause: for progress, and for tests (a write between batches, an interruption).</summary>
    public Func<ImportBatch, CancellationToken, Task>? AfterBatch { get; init; }
}

/// <summary>
/// Authors. An import never gives an existing account anything: a WXR file is data from elsewhere, and a login in it
/// says nothing about who holds that login here. So, per author of the export:
/// <list type="bullet">
/// <item>mapped with <c>--author-map old=new</c>: <c>new</c>, who must already be a member of the site with a role that
/// may write posts (checked before anything is written);</item>
/// <item>otherwise a user of that login who is already a member: that user (their role is left as it is);</item>
/// <item>otherwise, when no user has the login: a new user without a usable password (they cannot sign in until an
/// operator sets one), made an author of the site;</item>
/// <item>otherwise (the login belongs to someone who is not a member): never that user; a new user under the first free
/// login of "login-2", "login-3"… (or one of those already a member, which a previous import of the same file created),
/// made an author. Why not the site's administrator: the posts keep an author of their own, whom an administrator can
/// later merge or map; and a second import of the same file finds the same user again.</item>
/// </list>
/// Each decision is reported (<see cref="ImportReport.Authors"/>) and counted as created (new user) or skipped.
/// </summary>
internal sealed class AuthorImport(PressDbContext db, UserAccounts accounts, TimeProvider clock)
{
    /// <summary>A reserved top-level domain (RFC 2606): an imported author's address that can never receive mail.</summary>
    public const string PlaceholderDomain = "imported.invalid";

    /// <summary>How many "-n" logins are tried before the import gives up (a site would need that many look-alike users).</summary>
    private const int MaxSuffix = 100;

    /// <summary>
    /// Checks <c>--author-map</c>'s targets before the file is read: each must be a user who is a member of the site with
    /// a role that may write posts. Returns the target users by export login (case-insensitive, as logins are matched).
    /// </summary>
    public async Task<Outcome<Dictionary<string, User>>> CheckMapAsync(Site site, ImportOptions options, CancellationToken ct)
    {
        var targets = new Dictionary<string, User>(StringComparer.OrdinalIgnoreCase);
        foreach (var (from, to) in options.AuthorMap)
        {
            var user = await accounts.FindByLoginAsync(to);
            if (user is null) return Problem.Invalid($"--author-map {from}={to}: no user '{to}' on this server");
            var role = await db.SiteMembers.Where(m => m.SiteId == site.Id && m.UserId == user.Id).Select(m => m.Role).SingleOrDefaultAsync(ct);
            if (role is null) return Problem.Invalid($"--author-map {from}={to}: '{to}' is not a member of site '{site.Slug}' (an import never adds anyone to a site)");
            if (!RoleCapabilities.Of(role).Contains(Caps.EditPosts))
                return Problem.Invalid($"--author-map {from}={to}: '{to}' is a {role} of site '{site.Slug}', who may not write posts");
            targets[from] = user;
        }
        return Outcome<Dictionary<string, User>>.Ok(targets);
    }

    /// <summary>After the file is read: every mapped login must be an author of the export (a typo must not go unnoticed).</summary>
    public static Outcome<bool> CheckMapCoversFile(ImportOptions options, IReadOnlyCollection<WxrAuthor> authors, string sourceName)
    {
        var logins = authors.Select(a => a.Login).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (from, to) in options.AuthorMap)
        {
            if (!logins.Contains(from)) return Problem.Invalid($"--author-map {from}={to}: {sourceName} has no author '{from}'");
        }
        return Outcome<bool>.Ok(true);
    }

    /// <summary>Inside the import's transaction: decides, creates and reports each author (see the class summary).</summary>
    public async Task<Outcome<AuthorMap>> ApplyAsync(Site site, IReadOnlyList<WxrAuthor> authors, IReadOnlyDictionary<string, User> mapped, ImportReport report, CancellationToken ct)
    {
        var map = new AuthorMap();
        foreach (var author in authors)
        {
            Outcome<(User User, AuthorResolution How)> resolved = mapped.TryGetValue(author.Login, out var target)
                ? Outcome<(User, AuthorResolution)>.Ok((target, AuthorResolution.Mapped))
                : await ResolveAsync(site, author, ct);
            if (!resolved.Succeeded) return resolved.Problem!;
            var (user, how) = resolved.Value;
            // Saved one by one: two export logins may name the same local user ("John Doe", "John_Doe").
            await db.SaveChangesAsync(ct);
            var created = how is AuthorResolution.Created or AuthorResolution.CreatedUnderAnotherLogin;
            report.Count(ImportKind.Authors, created, changed: false);
            report.Authors.Add(new AuthorOutcome(author.Login, user.UserName!, how));
            map.Add(author, user.Id);
        }
        return Outcome<AuthorMap>.Ok(map);
    }

    private async Task<Outcome<(User, AuthorResolution)>> ResolveAsync(Site site, WxrAuthor author, CancellationToken ct)
    {
        var login = LocalLogin(author.Login);
        for (var n = 1; n <= MaxSuffix; n++)
        {
            var candidate = n == 1 ? login : Suffixed(login, n);
            var user = await accounts.FindByLoginAsync(candidate);
            if (user is not null)
            {
                // A member already: attributing posts to them gives them nothing new. Anyone else is never added.
                if (await db.SiteMembers.AnyAsync(m => m.SiteId == site.Id && m.UserId == user.Id, ct))
                    return Outcome<(User, AuthorResolution)>.Ok((user, AuthorResolution.Member));
                continue;
            }
            var made = await CreateAsync(candidate, author, ct);
            if (!made.Succeeded) return made.Problem!;
            db.SiteMembers.Add(new SiteMember { SiteId = site.Id, UserId = made.Value!.Id, Role = Roles.Author, AddedUtc = clock.GetUtcNow().UtcDateTime });
            return Outcome<(User, AuthorResolution)>.Ok((made.Value!, n == 1 ? AuthorResolution.Created : AuthorResolution.CreatedUnderAnotherLogin));
        }
        return Problem.Conflict($"cannot place the author '{author.Login}': the logins '{login}' to '{Suffixed(login, MaxSuffix)}' all belong to users who are not members of site '{site.Slug}'; map the author with --author-map {author.Login}=LOGIN");
    }

    /// <summary>"alice-2": the suffix replaces the login's end when the login is already as long as a login may be.</summary>
    private static string Suffixed(string login, int n)
    {
        var suffix = "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return login.Length + suffix.Length <= UserAccounts.MaxLoginLength ? login + suffix : login[..(UserAccounts.MaxLoginLength - suffix.Length)] + suffix;
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
}
