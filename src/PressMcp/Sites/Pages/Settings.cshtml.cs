using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Sites.Abilities;

namespace PressMcp.Sites.Pages;

/// <summary>A card of the settings page: its title and the catalogue's writable settings it shows.</summary>
internal sealed record SettingsCard(string Key, string Title, IReadOnlyList<SettingDefinition> Settings);

/// <summary>
/// <c>/account/sites/{slug}/settings</c> (<c>manage_options</c>): General, Reading, Discussion, Media, Permalinks and the
/// site's MCP policy, each card its own form. The fields are <see cref="SiteSettingsCatalog"/>'s writable settings, and
/// saving a card is one <c>site/update-settings</c> call by the person, so the page and agents share every rule.
/// </summary>
internal sealed class SettingsModel(SitePages pages, SiteSettingsStore store, PersonCalls calls, SiteUrls urls, TimeProvider clock) : SitePageModel(pages)
{
    /// <summary>The radio value that picks the typed format instead of one of WordPress's choices.</summary>
    public const string CustomFormat = "custom";

    public static readonly IReadOnlyList<SettingsCard> Cards =
    [
        Card("general", "General", s => s.Section == SiteSettingsCatalog.General && s.Name != SiteSettingsCatalog.McpPolicy),
        Card("reading", "Reading", s => s.Section == SiteSettingsCatalog.Reading),
        Card("discussion", "Discussion", s => s.Section == SiteSettingsCatalog.Discussion),
        Card("media", "Media", s => s.Section == SiteSettingsCatalog.MediaSection),
        Card("permalinks", "Permalinks", s => s.Section == SiteSettingsCatalog.PermalinksSection),
        Card("mcp", "MCP apps", s => s.Name == SiteSettingsCatalog.McpPolicy),
    ];

    private static SettingsCard Card(string key, string title, Func<SettingDefinition, bool> pick) =>
        new(key, title, [.. SiteSettingsCatalog.All.Where(s => s.Writable && pick(s))]);

    public override string Section => "settings";

    public IReadOnlyDictionary<string, string> Values { get; private set; } = new Dictionary<string, string>();
    public IReadOnlyList<string> TimeZones { get; private set; } = [];
    public DateTime NowUtc { get; private set; }

    /// <summary>What a post published now, with the slug <c>sample-post</c>, would be addressed by under <paramref name="structure"/>.</summary>
    public string PermalinkExample(string structure)
    {
        // The site as it is, with only the structure changed: every other part of an address stays the site's own.
        var site = Site.Copy();
        site.PermalinkStructure = structure;
        return new Publishing.PublicLinks(site, urls.BaseOf(Site))
            .Post(new PressMcp.Content.Post { Id = 123, SiteId = Site.Id, Slug = "sample-post", Type = PressMcp.Content.PostTypes.Post, DateUtc = NowUtc });
    }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (await EnterAsync(slug, Caps.ManageOptions, ct) is { } refused) return refused;
        Values = await store.ValuesAsync(Site, ct);
        TimeZones = SiteRules.TimeZoneNames();
        NowUtc = clock.GetUtcNow().UtcDateTime;
        return Page();
    }

    /// <summary>The time now on the site, in <paramref name="format"/>: the page's preview of a format.</summary>
    public string Preview(string format) => SiteDateFormat.Format(Site, NowUtc, format);

    public async Task<IActionResult> OnPostAsync(string slug, string? card, CancellationToken ct)
    {
        if (await EnterAsync(slug, Caps.ManageOptions, ct) is { } refused) return refused;
        var chosen = Cards.FirstOrDefault(c => c.Key == card);
        if (chosen is null) return Done(SitePath("settings"), null, "Unknown settings section.");
        var arguments = new JsonObject();
        foreach (var setting in chosen.Settings)
        {
            var (value, error) = ValueOf(setting);
            if (error is not null) return Done(SitePath("settings"), null, error);
            arguments[setting.Name] = value;
        }
        var result = await calls.RunAsync(Member.Actor, Site, SiteWriteAbilities.UpdateSettings, arguments, $"settings: {chosen.Key}", ct);
        return result.Succeeded
            ? Done(SitePath("settings"), $"{chosen.Title} settings saved.")
            : Done(SitePath("settings"), null, MembersModel.Sentence(result.Message));
    }

    /// <summary>A field of the form as the ability's input: a checkbox left out is false; a number must be one.</summary>
    private (JsonNode? Value, string? Error) ValueOf(SettingDefinition setting)
    {
        var text = Request.Form[setting.Name].ToString();
        switch (setting.Type)
        {
            case SettingType.Boolean:
                return (JsonValue.Create(text == "1"), null);
            case SettingType.Integer:
                return long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                    ? (JsonValue.Create(n), null)
                    : (null, $"{setting.Label} must be a whole number.");
            default:
                if (setting.Suggestions is not null && text == CustomFormat) text = Request.Form[setting.Name + "_custom"].ToString();
                return (JsonValue.Create(text), null);
        }
    }
}
