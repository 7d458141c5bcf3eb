using System.Text.Json;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content.Authoring;

namespace PressMcp.Content.Abilities;

/// <summary><c>categories/create</c> and <c>tags/create</c>: editors and administrators (manage_categories), as in WordPress.</summary>
internal sealed class TermAbilities : IAbilitySource
{
    public const string CreateCategory = "categories/create";
    public const string CreateTag = "tags/create";

    private static string Input(bool category) => $$$$"""
        {"type":"object","additionalProperties":false,"required":["wpcom_site","name"],"properties":{
          {{{{AbilityInput.SiteProperty}}}},
          "name":{"type":"string","minLength":1,"maxLength":{{{{TermRules.MaxName}}}}},
          "slug":{"type":"string","minLength":1,"maxLength":200,"description":"Made from the name when absent"},
          "description":{"type":"string","maxLength":{{{{TermRules.MaxDescription}}}}}{{{{(category ? ",\n  \"parent\":{\"type\":\"integer\",\"minimum\":0,\"description\":\"Parent category id; 0 for the top level\"}" : "")}}}}}}
        """;

    public IEnumerable<Ability> Abilities() =>
    [
        new Ability(CreateCategory, "Create a category", "Creates a category, optionally under a parent; its name must be new among its siblings and its slug new on the site.",
            "terms", Input(category: true), AuthoringResults.TermSchema, AbilityAnnotations.Write, [OAuth.Scopes.ContentWrite], Caps.ManageCategories, siteScoped: true,
            (call, ct) => CreateAsync(call, Taxonomies.Category, ct)),
        new Ability(CreateTag, "Create a tag", "Creates a tag; its name and slug must be new on the site.",
            "terms", Input(category: false), AuthoringResults.TermSchema, AbilityAnnotations.Write, [OAuth.Scopes.ContentWrite], Caps.ManageCategories, siteScoped: true,
            (call, ct) => CreateAsync(call, Taxonomies.Tag, ct)),
    ];

    private static async Task<Outcome<JsonElement>> CreateAsync(AbilityCall call, string taxonomy, CancellationToken ct)
    {
        var input = call.Input;
        var term = await call.Services.GetRequiredService<TermEditor>().CreateAsync(call, taxonomy,
            new NewTerm(input.Text("name")!, input.Text("slug"), input.Integer("parent"), input.Text("description")), ct);
        return term.Succeeded ? Outcome<JsonElement>.Ok(await AuthoringResults.TermAsync(call, term.Value!, ct)) : term.Problem!;
    }
}
