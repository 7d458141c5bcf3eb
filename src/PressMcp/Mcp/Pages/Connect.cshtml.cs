using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Mcp.Settings;
using PressMcp.OAuth;
using PressMcp.Sites;
using PressMcp.Web;

namespace PressMcp.Mcp.Pages;

/// <summary>A site's MCP Adapter endpoint, for tools built for WordPress's adapter.</summary>
internal sealed record AdapterAddress(string Title, string Slug, string Url);

/// <summary>
/// <c>/account/connect</c>: the address to give an AI app, how each common client takes it, each site's adapter
/// address, and what an app could do right now under the user's MCP settings (the same catalogue and settings every
/// call is decided by, so the page cannot promise more than a call would get).
/// </summary>
[Authorize]
internal sealed class ConnectModel(
    McpResources resources, McpSettingsStore settings, AbilityCatalogue catalogue, SiteDirectory sites, UserManager<User> users) : PageModel
{
    public string McpUrl => resources.Wpcom;
    public bool McpEnabled { get; private set; }
    public IReadOnlyList<string> ReadTools { get; private set; } = [];
    public IReadOnlyList<string> WriteTools { get; private set; } = [];
    public IReadOnlyList<AdapterAddress> Adapters { get; private set; } = [];

    /// <summary>A JSON string literal of the URL, for the configuration snippets.</summary>
    public string JsonUrl => "\"" + JsonEncodedText.Encode(McpUrl) + "\"";

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageHelpers.NoStore(Response);
        var userId = users.IdOf(User);
        var snapshot = await settings.LoadAsync(userId, ct, whole: true);
        McpEnabled = snapshot.Enabled;
        var on = catalogue.Public.Where(snapshot.IsOn).ToList();
        ReadTools = on.Where(a => a.Annotations.ReadOnly).Select(a => a.Label).ToList();
        WriteTools = on.Where(a => !a.Annotations.ReadOnly).Select(a => a.Label).ToList();
        Adapters = (await sites.SitesOfAsync(userId, ct)).Select(s => new AdapterAddress(s.Title, s.Slug, resources.SiteEndpoint(s.Slug))).ToList();
    }
}
