using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content.Authoring;

namespace PressMcp.Content.Abilities;

/// <summary><c>categories/create</c> and <c>tags/create</c>: editors and administrators (manage_categories), as in WordPress.</summary>
internal static class TermAbilities
{
    public const string CreateCategory = "categories/create";
    public const string CreateTag = "tags/create";
}

internal sealed class CreateCategoryAbility(TermEditor editor, AuthoringResults results) : Ability<CategoryCreateInput, TermResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(TermAbilities.CreateCategory, "Create a category",
        "Creates a category, optionally under a parent; its name must be new among its siblings and its slug new on the site.", "terms",
        AbilityAnnotations.Write, [OAuth.Scopes.ContentWrite], Caps.ManageCategories, SiteScoped: true, TermJson.Default.CategoryCreateInput, AuthoringJson.Default.TermResult);

    protected override async Task<Outcome<TermResult>> ExecuteAsync(CategoryCreateInput input, AbilityCall call, CancellationToken ct) =>
        await results.TermAsync(call, await editor.CreateAsync(call, Taxonomies.Category, new NewTerm(input.Name, input.Slug, input.Parent, input.Description), ct), ct);
}

internal sealed class CreateTagAbility(TermEditor editor, AuthoringResults results) : Ability<TagCreateInput, TermResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(TermAbilities.CreateTag, "Create a tag", "Creates a tag; its name and slug must be new on the site.", "terms",
        AbilityAnnotations.Write, [OAuth.Scopes.ContentWrite], Caps.ManageCategories, SiteScoped: true, TermJson.Default.TagCreateInput, AuthoringJson.Default.TermResult);

    protected override async Task<Outcome<TermResult>> ExecuteAsync(TagCreateInput input, AbilityCall call, CancellationToken ct) =>
        await results.TermAsync(call, await editor.CreateAsync(call, Taxonomies.Tag, new NewTerm(input.Name, input.Slug, null, input.Description), ct), ct);
}

internal record TagCreateInput
{
    [StringLength(TermRules.MaxName, MinimumLength = 1)]
    public required string Name { get; init; }

    [StringLength(200, MinimumLength = 1), Description("Made from the name when absent")]
    public string? Slug { get; init; }

    [StringLength(TermRules.MaxDescription)]
    public string? Description { get; init; }
}

internal sealed record CategoryCreateInput : TagCreateInput
{
    [Range(0, long.MaxValue), Description("Parent category id; 0 for the top level")]
    public long? Parent { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(TagCreateInput))]
[JsonSerializable(typeof(CategoryCreateInput))]
internal sealed partial class TermJson : JsonSerializerContext;
