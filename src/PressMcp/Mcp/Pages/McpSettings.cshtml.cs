using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Mcp.Settings;
using PressMcp.Sites;
using PressMcp.Web;

namespace PressMcp.Mcp.Pages;

/// <summary>One switch on the settings page: an ability agents may call, as the user sees it.</summary>
internal sealed record ToolSwitch(string Ability, string Label, string Description, string Category, bool On, bool Explicit);

internal sealed record SiteSwitch(long SiteId, string Title, string Slug, string Role, SiteMcpMode Mode);

/// <summary>
/// <c>/account/mcp</c>: what agents may do on the user's behalf, whatever credential they hold. The master switch,
/// a switch per ability (read and write apart; write tools stay off until chosen), and per-site overrides.
/// Every change applies to the next call: the settings are read per request.
/// </summary>
[Authorize]
internal sealed partial class McpSettingsModel(
    McpSettingsStore store, AbilityCatalogue catalogue, SiteDirectory sites, UserManager<User> users, ILogger<McpSettingsModel> logger) : PageModel
{
    public bool Enabled { get; private set; }
    public IReadOnlyList<ToolSwitch> ReadTools { get; private set; } = [];
    public IReadOnlyList<ToolSwitch> WriteTools { get; private set; } = [];
    public IReadOnlyList<SiteSwitch> Sites { get; private set; } = [];
    public string? Notice { get; private set; }

    public async Task OnGetAsync(string? saved, CancellationToken ct)
    {
        PageHelpers.NoStore(Response);
        Notice = saved switch
        {
            "tools" => "Tool switches saved. They apply from the next call.",
            "sites" => "Site settings saved. They apply from the next call.",
            _ => null,
        };
        await LoadAsync(ct);
        if (saved == "master") Notice = Enabled ? "MCP access is on. Read tools are available; write tools stay off until you turn them on." : "MCP access is off. Agents can no longer use any tool.";
    }

    public async Task<IActionResult> OnPostMasterAsync(bool enabled, CancellationToken ct)
    {
        var userId = CurrentUserId();
        await store.SetEnabledAsync(userId, enabled, ct);
        LogMaster(logger, userId, enabled);
        return new SeeOtherResult("/account/mcp?saved=master");
    }

    /// <summary>Every public ability gets an explicit switch from the form: ticked means on.</summary>
    public async Task<IActionResult> OnPostToolsAsync(string[]? on, CancellationToken ct)
    {
        var userId = CurrentUserId();
        var chosen = (on ?? []).ToHashSet(StringComparer.Ordinal);
        var switches = catalogue.Public.ToDictionary(a => a.Name, a => chosen.Contains(a.Name), StringComparer.Ordinal);
        await store.SetToolsAsync(userId, switches, ct);
        LogTools(logger, userId, switches.Count(s => s.Value));
        return new SeeOtherResult("/account/mcp?saved=tools");
    }

    public async Task<IActionResult> OnPostSitesAsync(CancellationToken ct)
    {
        var userId = CurrentUserId();
        var mine = await sites.SitesOfAsync(userId, ct);
        foreach (var site in mine)
        {
            // Only the user's own sites are read from the form; anything else posted is ignored.
            var value = Request.Form[$"site-{site.SiteId}"].ToString();
            if (!Enum.TryParse<SiteMcpMode>(value, ignoreCase: false, out var mode) || !Enum.IsDefined(mode))
            {
                if (value.Length == 0) continue;
                ModelState.AddModelError("", $"unknown mode '{value}' for {site.Title}");
                await LoadAsync(ct);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            }
            await store.SetSiteModeAsync(userId, site.SiteId, mode, ct);
        }
        return new SeeOtherResult("/account/mcp?saved=sites");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var userId = CurrentUserId();
        var settings = await store.LoadAsync(userId, ct, whole: true);
        Enabled = settings.Enabled;
        var tools = catalogue.Public
            .Select(a => (a, new ToolSwitch(a.Name, a.Label, a.Description, a.Category, settings.IsOn(a), settings.HasExplicitSwitch(a.Name))))
            .ToList();
        ReadTools = tools.Where(t => t.a.Annotations.ReadOnly).Select(t => t.Item2).ToList();
        WriteTools = tools.Where(t => !t.a.Annotations.ReadOnly).Select(t => t.Item2).ToList();
        Sites = (await sites.SitesOfAsync(userId, ct)).Select(s => new SiteSwitch(s.SiteId, s.Title, s.Slug, s.Role, settings.ModeOn(s.SiteId))).ToList();
    }

    private long CurrentUserId() => users.IdOf(User);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} set MCP access to {Enabled}")]
    private static partial void LogMaster(ILogger logger, long userId, bool enabled);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} saved MCP tool switches ({Count} on)")]
    private static partial void LogTools(ILogger logger, long userId, int count);
}
