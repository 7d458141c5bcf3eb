using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Sites.Abilities;

namespace PressMcp.Sites.Pages;

/// <summary>
/// <c>/account/sites/{slug}/members</c>: the site's members with their roles, paged (<c>list_users</c>); adding an
/// existing user by login or e-mail and changing a role (<c>promote_users</c>), removing (<c>remove_users</c>), each
/// through its ability, so the last administrator is kept by the same rule as on the command line and over MCP.
/// </summary>
internal sealed class MembersModel(SitePages pages, SiteDirectory directory, PersonCalls calls) : SitePageModel(pages)
{
    public const int PageSize = 50;

    public override string Section => "members";

    public IReadOnlyList<MemberSummary> Members { get; private set; } = [];
    public int Total { get; private set; }
    public int PageNumber { get; private set; } = 1;
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public int Administrators { get; private set; }
    public IReadOnlyList<string> RoleNames => Roles.All;

    public async Task<IActionResult> OnGetAsync(string slug, int p = 1, CancellationToken ct = default)
    {
        if (await EnterAsync(slug, Caps.ListUsers, ct) is { } refused) return refused;
        // Bounded so the offset stays an int and a hand-typed page number cannot ask for an absurd skip.
        PageNumber = Math.Clamp(p, 1, 100_000);
        (Members, Total) = await directory.MembersPageAsync(Site.Id, (PageNumber - 1) * PageSize, PageSize, ct);
        Administrators = await directory.AdministratorCountAsync(Site.Id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAddAsync(string slug, string? user, string? role, CancellationToken ct)
    {
        if (await EnterAsync(slug, Caps.PromoteUsers, ct) is { } refused) return refused;
        var result = await calls.RunAsync(Member.Actor, Site, SiteWriteAbilities.AddMember,
            new JsonObject { ["user"] = user?.Trim() ?? "", ["role"] = role ?? "" }, "members: add", ct);
        return Finish(result, r => $"Added {Login(r)} as {Role(r)}.");
    }

    public async Task<IActionResult> OnPostRoleAsync(string slug, string? login, string? role, CancellationToken ct)
    {
        if (await EnterAsync(slug, Caps.PromoteUsers, ct) is { } refused) return refused;
        var result = await calls.RunAsync(Member.Actor, Site, SiteWriteAbilities.UpdateMemberRole,
            new JsonObject { ["user"] = login ?? "", ["role"] = role ?? "" }, "members: change role", ct);
        return Finish(result, r => $"{Login(r)} is now {Role(r)}.");
    }

    public async Task<IActionResult> OnPostRemoveAsync(string slug, string? login, CancellationToken ct)
    {
        if (await EnterAsync(slug, Caps.RemoveUsers, ct) is { } refused) return refused;
        var result = await calls.RunAsync(Member.Actor, Site, SiteWriteAbilities.RemoveMember,
            new JsonObject { ["user"] = login ?? "" }, "members: remove", ct);
        return Finish(result, r => $"Removed {Login(r)} from {Site.Title}.");
    }

    private IActionResult Finish(Invocation result, Func<Invocation, string> notice) =>
        result.Succeeded ? Done(SitePath("members"), notice(result)) : Done(SitePath("members"), null, Sentence(result.Message));

    private static string Login(Invocation r) => r.Value.GetProperty("login").GetString()!;

    private static string Role(Invocation r) => r.Value.GetProperty("role").GetString()!;

    /// <summary>The ability's reason as a sentence for the page (it is written for agents, in lower case).</summary>
    internal static string Sentence(string message) =>
        message.Length == 0 ? "That did not work." : char.ToUpperInvariant(message[0]) + message[1..] + (message.EndsWith('.') ? "" : ".");
}
