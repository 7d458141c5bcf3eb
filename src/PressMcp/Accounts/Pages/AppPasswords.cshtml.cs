using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PressMcp.Accounts.AppPasswords;
using PressMcp.Mcp.Settings;
using PressMcp.OAuth;
using PressMcp.Sites;
using PressMcp.Web;

namespace PressMcp.Accounts.Pages;

/// <summary>
/// <c>/account/app-passwords</c>: create (the password is shown in the answer to that POST, once, and never stored
/// anywhere readable: no redirect carries it), list, revoke one, revoke all. Razor Pages validate the antiforgery
/// token of every POST.
/// </summary>
[Authorize]
internal sealed partial class AppPasswordsModel(
    AppPasswordStore store, McpSettingsStore mcpSettings, SiteDirectory sites, McpResources resources, UserManager<User> users, ILogger<AppPasswordsModel> logger) : PageModel
{
    public const string Path = "/account/app-passwords";

    public IReadOnlyList<AppPasswordSummary> Passwords { get; private set; } = [];
    public IReadOnlyList<string> Endpoints { get; private set; } = [];
    public bool McpEnabled { get; private set; }
    public CreatedAppPassword? Created { get; private set; }
    public string? Notice { get; private set; }
    public string? Error { get; private set; }
    public string? Name { get; private set; }

    public async Task OnGetAsync(string? revoked, CancellationToken ct)
    {
        PageHelpers.NoStore(Response);
        Notice = revoked switch
        {
            "one" => "The application password was revoked. Its next request will be refused.",
            "all" => "Every application password was revoked. Their next requests will be refused.",
            _ => null,
        };
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostCreateAsync(string? name, [FromForm(Name = "enable_mcp")] string? enableMcp, CancellationToken ct)
    {
        PageHelpers.NoStore(Response);
        var userId = CurrentUserId();
        var created = await store.CreateAsync(userId, name, ct);
        if (created.Succeeded)
        {
            Created = created.Value;
            LogCreated(logger, userId, created.Value!.Summary.Id);
            if (enableMcp == "read" && !(await mcpSettings.LoadAsync(userId, ct)).Enabled) await mcpSettings.SetEnabledAsync(userId, true, ct);
        }
        else
        {
            Error = char.ToUpperInvariant(created.Problem!.Message[0]) + created.Problem.Message[1..] + ".";
            Name = name;
            Response.StatusCode = created.Problem.Kind == ErrorKind.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id, CancellationToken ct)
    {
        var userId = CurrentUserId();
        // Only the user's own passwords: another id simply matches nothing.
        if (await store.RevokeByIdAsync(userId, id, ct)) LogRevoked(logger, userId, id);
        return new SeeOtherResult(Path + "?revoked=one");
    }

    public async Task<IActionResult> OnPostRevokeAllAsync(CancellationToken ct)
    {
        var userId = CurrentUserId();
        LogRevokedAll(logger, userId, await store.RevokeAllAsync(userId, ct));
        return new SeeOtherResult(Path + "?revoked=all");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var userId = CurrentUserId();
        Passwords = await store.ListAsync(userId, ct);
        McpEnabled = (await mcpSettings.LoadAsync(userId, ct)).Enabled;
        Endpoints = (await sites.SitesOfAsync(userId, ct)).Select(s => resources.SiteEndpoint(s.Slug)).ToList();
    }

    private long CurrentUserId() => users.IdOf(User);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} created application password {PasswordId}")]
    private static partial void LogCreated(ILogger logger, long userId, long passwordId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} revoked application password {PasswordId}")]
    private static partial void LogRevoked(ILogger logger, long userId, long passwordId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} revoked all {Count} application passwords")]
    private static partial void LogRevokedAll(ILogger logger, long userId, int count);
}
