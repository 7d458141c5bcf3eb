using PressMcp.Storage;

namespace PressMcp.Accounts;

/// <summary>
/// Callers' own profiles (<c>user/profile</c>) as <see cref="Storage.Sql.UserRows.ProfileAsync"/> read them, each kept for the
/// <see cref="AccessVersion"/> it was read under. Every column the profile shows raises that version: the users trigger
/// covers the login, the server-admin flag, the display name, e-mail, website and biographical info (migration
/// ProfileInAccessVersion), and memberships and sites have triggers of their own. So an edit applies from the next call on
/// this instance and within <see cref="SharedAccessVersion.MaxAge"/> on the others, as a revocation does. Without it the
/// cheapest read tool opened the request's connection and prepared a statement on every call, most of what it cost.
/// </summary>
internal sealed class ProfileCache
{
    public VersionedCache<long, ProfileResult> Profiles { get; } = new(capacity: 10_000);
}
