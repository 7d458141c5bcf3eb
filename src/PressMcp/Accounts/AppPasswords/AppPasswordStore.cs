using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Accounts.AppPasswords;

/// <summary>One application password as lists show it: never the password or its hash.</summary>
internal sealed record AppPasswordSummary(long Id, string Name, DateTime CreatedUtc, DateTime? LastUsedUtc, string? LastIp);

/// <summary>A password just created: <see cref="Password"/> is shown this once and never again.</summary>
internal sealed record CreatedAppPassword(AppPasswordSummary Summary, string Password);

/// <summary>Creating, listing and revoking a user's application passwords, the same for the page and the command line.</summary>
internal sealed class AppPasswordStore(PressDbContext db, TimeProvider clock)
{
    private DbSet<AppPassword> Passwords => db.Set<AppPassword>();

    public async Task<Outcome<CreatedAppPassword>> CreateAsync(long userId, string? name, CancellationToken ct = default)
    {
        if (CheckName(name) is { } invalid) return invalid;
        var trimmed = name!.Trim();
        var key = Key(trimmed);
        if (await Passwords.AnyAsync(p => p.UserId == userId && p.NameKey == key, ct))
            return Problem.Conflict($"an application password named '{trimmed}' already exists (names are unique whatever their case)");

        var password = AppPasswordSecret.Generate();
        var row = new AppPassword
        {
            UserId = userId,
            Name = trimmed,
            NameKey = key,
            Hash = AppPasswordSecret.Hash(AppPasswordSecret.Normalize(password)!),
            CreatedUtc = clock.GetUtcNow().UtcDateTime,
        };
        Passwords.Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two creations with the same name at once: the unique index lets one win.
            return Problem.Conflict($"an application password named '{trimmed}' already exists (names are unique whatever their case)");
        }
        return Outcome<CreatedAppPassword>.Ok(new CreatedAppPassword(Summarize(row), password));
    }

    public Task<List<AppPasswordSummary>> ListAsync(long userId, CancellationToken ct = default) =>
        Passwords.AsNoTracking().Where(p => p.UserId == userId).OrderBy(p => p.CreatedUtc).ThenBy(p => p.Id)
            .Select(p => new AppPasswordSummary(p.Id, p.Name, p.CreatedUtc, p.LastUsedUtc, p.LastIp))
            .ToListAsync(ct);

    /// <summary>Revokes the password with this name (any case). The next call with it is refused: nothing is cached.</summary>
    public async Task<Outcome<string>> RevokeAsync(long userId, string name, CancellationToken ct = default)
    {
        var key = Key(name.Trim());
        var row = await Passwords.AsNoTracking().FirstOrDefaultAsync(p => p.UserId == userId && p.NameKey == key, ct);
        if (row is null) return Problem.NotFound($"no application password named '{name.Trim()}'");
        await Passwords.Where(p => p.Id == row.Id).ExecuteDeleteAsync(ct);
        return Outcome<string>.Ok(row.Name);
    }

    /// <summary>Revokes one of the user's own passwords by id; another user's id matches nothing.</summary>
    public async Task<bool> RevokeByIdAsync(long userId, long id, CancellationToken ct = default) =>
        await Passwords.Where(p => p.UserId == userId && p.Id == id).ExecuteDeleteAsync(ct) > 0;

    public Task<int> RevokeAllAsync(long userId, CancellationToken ct = default) =>
        Passwords.Where(p => p.UserId == userId).ExecuteDeleteAsync(ct);

    private static Problem? CheckName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0) return Problem.Invalid("the application password needs a name (e.g. the app or machine that will use it)");
        if (trimmed.Length > AppPasswordMapping.NameLength) return Problem.Invalid($"the name is longer than {AppPasswordMapping.NameLength} characters");
        if (trimmed.Any(char.IsControl)) return Problem.Invalid("the name may not contain control characters");
        return null;
    }

    private static string Key(string name) => name.ToLowerInvariant();

    private static AppPasswordSummary Summarize(AppPassword p) => new(p.Id, p.Name, p.CreatedUtc, p.LastUsedUtc, p.LastIp);
}
