using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Content.Authoring;

/// <summary>
/// A category or tag as an agent names it: its id (a JSON number), or its slug or name (a string; a name made of
/// digits stays a name).
/// </summary>
[JsonConverter(typeof(TermReferenceConverter))]
[JsonSchemaText("""{"anyOf":[{"type":"integer","minimum":1},{"type":"string","minLength":1,"maxLength":200}]}""")]
internal readonly record struct TermReference(long? Id, string? Text)
{
    public override string ToString() => Id?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? $"'{Text}'";
}

internal sealed class TermReferenceConverter : JsonConverter<TermReference>
{
    public override TermReference Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => new TermReference(reader.GetInt64(), null),
        JsonTokenType.String => new TermReference(null, reader.GetString()),
        _ => throw new JsonException("a category or tag is an id or a name"),
    };

    public override void Write(Utf8JsonWriter writer, TermReference value, JsonSerializerOptions options)
    {
        if (value.Id is { } id) writer.WriteNumberValue(id);
        else writer.WriteStringValue(value.Text);
    }
}

/// <summary>The terms a post is to have: those that exist, and tag names to create with the post.</summary>
internal sealed record ResolvedTerms(IReadOnlyList<long> ExistingIds, IReadOnlyList<string> NewNames);

/// <summary>
/// Resolves the categories or tags named in a write. Categories must exist (categories.create makes them); unknown
/// tags are created with the post, as WordPress does, but only for roles that may manage terms
/// (<c>manage_categories</c>): anyone else is told which names are unknown, and nothing is written.
/// </summary>
internal sealed class TermReferences(PressDbContext db)
{
    public async Task<Outcome<ResolvedTerms>> ResolveAsync(Site site, SiteActor actor, string taxonomy, IReadOnlyList<TermReference> references, CancellationToken ct)
    {
        var kind = taxonomy == Taxonomies.Category ? "category" : "tag";
        var ids = new List<long>();
        var unknown = new List<string>();
        foreach (var reference in references)
        {
            if (reference.Id is { } id)
            {
                if (!await db.Terms.AnyAsync(t => t.SiteId == site.Id && t.Taxonomy == taxonomy && t.Id == id, ct))
                    return Problem.Invalid($"there is no {kind} {id} on this site");
                ids.Add(id);
                continue;
            }
            var text = reference.Text!.Trim();
            var lower = text.ToLowerInvariant();
            var slug = Slugs.FromTitle(text);
            var found = await db.Terms.Where(t => t.SiteId == site.Id && t.Taxonomy == taxonomy && (t.Slug == lower || t.Slug == slug)).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct)
                ?? await db.Terms.Where(t => t.SiteId == site.Id && t.Taxonomy == taxonomy && t.Name.ToLower() == lower).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct);
            if (found is { } f) ids.Add(f);
            else if (!unknown.Any(u => Slugs.FromTitle(u) == slug)) unknown.Add(text);
        }
        if (unknown.Count == 0) return Outcome<ResolvedTerms>.Ok(new(ids.Distinct().ToList(), []));

        var names = string.Join(", ", unknown.Select(u => $"'{u}'"));
        if (taxonomy == Taxonomies.Category)
            return Problem.Invalid($"unknown categories: {names} (create them first with categories.create, or use existing ones)");
        var missing = Permissions.MissingCapabilities(actor, Caps.ManageCategories);
        if (missing.Count > 0)
            return Problem.Forbidden($"unknown tags: {names}; your role ({actor.Role}) may not create tags ({string.Join(", ", missing)}), so use existing tags or ask an editor to create these");
        if (unknown.FirstOrDefault(u => Slugs.FromTitle(u).Length == 0) is { } bad)
            return Problem.Invalid($"the tag '{bad}' has no letters or digits to make a slug from");
        if (unknown.FirstOrDefault(u => u.Length > TermRules.MaxName) is { } longName)
            return Problem.Invalid($"the tag '{longName[..20]}…' is longer than {TermRules.MaxName} characters");
        return Outcome<ResolvedTerms>.Ok(new(ids.Distinct().ToList(), unknown));
    }
}

internal static class TermRules
{
    public const int MaxName = 200;
    public const int MaxDescription = 2000;
}
