using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Storage;

namespace PressMcp.Sites.Abilities;

/// <summary>
/// Reads and changes a site's settings as <see cref="SiteSettingsCatalog"/> declares them: the columns of
/// <see cref="Site"/> and the rows of <see cref="SiteOption"/>, with the catalogue's defaults for rows never written.
/// Nothing caches options (the public site reads them per request), and a change to the site's columns raises the
/// access version by trigger, so a change applies to the next page and the next MCP call.
/// </summary>
internal sealed class SiteSettingsStore(PressDbContext db, SiteUrls urls)
{
    /// <summary>The change records' object type for a site's settings (its object id is the site's id).</summary>
    public const string ObjectType = "settings";

    /// <summary>One setting's current value as text: the stored option, or the catalogue's default (options only, not columns).</summary>
    public async Task<string> OptionAsync(long siteId, string name, CancellationToken ct)
    {
        var setting = SiteSettingsCatalog.Find(name) ?? throw new ArgumentException($"{name} is not in the settings catalogue", nameof(name));
        var stored = await db.SiteOptions.AsNoTracking().Where(o => o.SiteId == siteId && o.Name == name).Select(o => o.Value).FirstOrDefaultAsync(ct);
        return stored ?? setting.Default;
    }

    /// <summary>Every setting's current value as text, by name.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ValuesAsync(Site site, CancellationToken ct)
    {
        var stored = await db.SiteOptions.AsNoTracking().Where(o => o.SiteId == site.Id).ToDictionaryAsync(o => o.Name, o => o.Value, ct);
        return SiteSettingsCatalog.All.ToDictionary(
            s => s.Name, s => s.IsColumn ? SiteSettingsCatalog.ColumnValue(site, s.Name) : stored.GetValueOrDefault(s.Name, s.Default), StringComparer.Ordinal);
    }

    /// <summary>The sections in <paramref name="sections"/>, typed as JSON, as <c>site/settings</c> answers.</summary>
    public async Task<SiteSettingsResult> ResultAsync(Site site, IReadOnlySet<string> sections, CancellationToken ct)
    {
        var values = await ValuesAsync(site, ct);
        JsonObject? Section(string section)
        {
            if (!sections.Contains(section)) return null;
            var json = new JsonObject();
            var members = section == SiteSettingsCatalog.Privacy
                ? SiteSettingsCatalog.PrivacySettings.Select(name => SiteSettingsCatalog.Find(name)!)
                : SiteSettingsCatalog.All.Where(s => s.Section == section);
            foreach (var setting in members)
                json[setting.Name] = Typed(setting, values[setting.Name]);
            if (section == SiteSettingsCatalog.General) json["url"] = urls.BaseOf(site);
            return json;
        }
        return new SiteSettingsResult
        {
            General = Section(SiteSettingsCatalog.General),
            Writing = Section(SiteSettingsCatalog.Writing),
            Reading = Section(SiteSettingsCatalog.Reading),
            Discussion = Section(SiteSettingsCatalog.Discussion),
            Media = Section(SiteSettingsCatalog.MediaSection),
            Permalinks = Section(SiteSettingsCatalog.PermalinksSection),
            Privacy = Section(SiteSettingsCatalog.Privacy),
        };
    }

    private static JsonNode? Typed(SettingDefinition setting, string value) => setting.Type switch
    {
        SettingType.Integer when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
        SettingType.Boolean => JsonValue.Create(value == "1"),
        _ => JsonValue.Create(value),
    };

    /// <summary>
    /// Changes <paramref name="changes"/> (name, value as text) on the site, all or nothing: every value is checked
    /// against the catalogue first, then the columns and options are written in one transaction with a
    /// <see cref="Activity.ChangeRecord"/> holding the values before (null for an option never written) when it is an
    /// ability's <paramref name="call"/>.
    /// Returns the site as it is after the change.
    /// </summary>
    public async Task<Outcome<Site>> UpdateAsync(long siteId, IReadOnlyList<(string Name, string Value)> changes, AbilityCall? call, CancellationToken ct)
    {
        if (changes.Count == 0) return Problem.Invalid("name at least one setting to change");
        var accepted = new List<(SettingDefinition Setting, string Value)>(changes.Count);
        foreach (var (name, raw) in changes)
        {
            if (SiteSettingsCatalog.Find(name) is not { Writable: true } setting)
                return Problem.Invalid($"'{name}' is not a setting that can be changed");
            if (accepted.Any(a => a.Setting.Name == name)) return Problem.Invalid($"{name} is given twice");
            var value = SiteSettingsCatalog.Normalize(setting, raw);
            if (setting.Validate(value) is { } error) return Problem.Invalid(error);
            accepted.Add((setting, value));
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var site = await db.Sites.FirstOrDefaultAsync(s => s.Id == siteId, ct);
        if (site is null) return Problem.NotFound("the site no longer exists");
        var names = accepted.Where(a => !a.Setting.IsColumn).Select(a => a.Setting.Name).ToList();
        var rows = await db.SiteOptions.Where(o => o.SiteId == siteId && names.Contains(o.Name)).ToDictionaryAsync(o => o.Name, ct);
        var before = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (setting, value) in accepted)
        {
            if (setting.IsColumn)
            {
                before[setting.Name] = SiteSettingsCatalog.ColumnValue(site, setting.Name);
                SiteSettingsCatalog.SetColumn(site, setting.Name, value);
            }
            else if (rows.TryGetValue(setting.Name, out var row))
            {
                before[setting.Name] = row.Value;
                row.Value = value;
            }
            else
            {
                before[setting.Name] = null;
                db.SiteOptions.Add(new SiteOption { SiteId = siteId, Name = setting.Name, Value = value });
            }
        }
        // The command line (an operator at the server) changes settings outside any ability call, so without a record.
        if (call is not null) db.ChangeRecords.Add(call.Change(ObjectType, siteId, "update", before));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return site;
    }
}
