using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content.Authoring;

namespace PressMcp.Content.Abilities;

/// <summary>
/// <c>categories/create|update|delete</c> and <c>tags/create|update|delete</c>: editors and administrators
/// (manage_categories), as in WordPress. A delete asks for <c>confirm_permanent_delete: true</c>, as WordPress.com's
/// MCP does: it cannot be undone from the trash.
/// </summary>
internal static class TermAbilities
{
    public const string CreateCategory = "categories/create";
    public const string CreateTag = "tags/create";
    public const string UpdateCategory = "categories/update";
    public const string UpdateTag = "tags/update";
    public const string DeleteCategory = "categories/delete";
    public const string DeleteTag = "tags/delete";

    public static readonly AbilityAnnotations Delete = new(ReadOnly: false, Destructive: true, Idempotent: false);
    public static readonly AbilityAnnotations Update = new(ReadOnly: false, Destructive: false, Idempotent: true);

    public static Problem? Unconfirmed(TermDeleteInput input) => input.ConfirmPermanentDelete
        ? null
        : Problem.Invalid("confirm_permanent_delete must be true: deleting a category or tag cannot be undone (its posts are kept); ask the user first");
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

internal sealed class UpdateCategoryAbility(TermEditor editor, AuthoringResults results) : Ability<CategoryUpdateInput, TermResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(TermAbilities.UpdateCategory, "Edit a category",
        "Changes a category's name, slug, parent or description; fields left out stay as they are. A category cannot move under itself or its descendants.", "terms",
        TermAbilities.Update, [OAuth.Scopes.ContentWrite], Caps.ManageCategories, SiteScoped: true, TermJson.Default.CategoryUpdateInput, AuthoringJson.Default.TermResult);

    protected override async Task<Outcome<TermResult>> ExecuteAsync(CategoryUpdateInput input, AbilityCall call, CancellationToken ct)
    {
        var edit = await editor.UpdateAsync(call, Taxonomies.Category, input.Id, new TermChange(input.Name, input.Slug, input.Parent, input.Description), ct);
        return await results.TermAsync(call, edit.Succeeded ? edit.Value!.Term : edit.Problem!, ct);
    }
}

internal sealed class UpdateTagAbility(TermEditor editor, AuthoringResults results) : Ability<TagUpdateInput, TermResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(TermAbilities.UpdateTag, "Edit a tag",
        "Changes a tag's name, slug or description; fields left out stay as they are.", "terms",
        TermAbilities.Update, [OAuth.Scopes.ContentWrite], Caps.ManageCategories, SiteScoped: true, TermJson.Default.TagUpdateInput, AuthoringJson.Default.TermResult);

    protected override async Task<Outcome<TermResult>> ExecuteAsync(TagUpdateInput input, AbilityCall call, CancellationToken ct)
    {
        var edit = await editor.UpdateAsync(call, Taxonomies.Tag, input.Id, new TermChange(input.Name, input.Slug, null, input.Description), ct);
        return await results.TermAsync(call, edit.Succeeded ? edit.Value!.Term : edit.Problem!, ct);
    }
}

internal sealed class DeleteCategoryAbility(TermEditor editor) : Ability<TermDeleteInput, TermDeleteResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(TermAbilities.DeleteCategory, "Delete a category",
        "Deletes a category for good. Its posts are kept; a post left without any category gets the site's default category, which itself cannot be deleted. Needs confirm_permanent_delete: true.", "terms",
        TermAbilities.Delete, [OAuth.Scopes.ContentWrite], Caps.ManageCategories, SiteScoped: true, TermJson.Default.TermDeleteInput, TermJson.Default.TermDeleteResult);

    protected override async Task<Outcome<TermDeleteResult>> ExecuteAsync(TermDeleteInput input, AbilityCall call, CancellationToken ct) =>
        TermAbilities.Unconfirmed(input) ?? TermDeleteResult.Of(await editor.DeleteAsync(call, Taxonomies.Category, input.Id, ct));
}

internal sealed class DeleteTagAbility(TermEditor editor) : Ability<TermDeleteInput, TermDeleteResult>, IAbilityDefinition
{
    public static AbilityInfo Info { get; } = new(TermAbilities.DeleteTag, "Delete a tag",
        "Deletes a tag for good; its posts are kept. Needs confirm_permanent_delete: true.", "terms",
        TermAbilities.Delete, [OAuth.Scopes.ContentWrite], Caps.ManageCategories, SiteScoped: true, TermJson.Default.TermDeleteInput, TermJson.Default.TermDeleteResult);

    protected override async Task<Outcome<TermDeleteResult>> ExecuteAsync(TermDeleteInput input, AbilityCall call, CancellationToken ct) =>
        TermAbilities.Unconfirmed(input) ?? TermDeleteResult.Of(await editor.DeleteAsync(call, Taxonomies.Tag, input.Id, ct));
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

internal record TagUpdateInput
{
    [Range(1, long.MaxValue)]
    public required long Id { get; init; }

    [StringLength(TermRules.MaxName, MinimumLength = 1)]
    public string? Name { get; init; }

    [StringLength(200, MinimumLength = 1)]
    public string? Slug { get; init; }

    [StringLength(TermRules.MaxDescription)]
    public string? Description { get; init; }
}

internal sealed record CategoryUpdateInput : TagUpdateInput
{
    [Range(0, long.MaxValue), Description("Parent category id; 0 for the top level")]
    public long? Parent { get; init; }
}

internal sealed record TermDeleteInput
{
    [Range(1, long.MaxValue)]
    public required long Id { get; init; }

    [Description("Must be true: the user confirmed that the term is deleted for good")]
    public required bool ConfirmPermanentDelete { get; init; }
}

internal sealed record TermDeleteResult(long Id, [property: AllowedValues(Taxonomies.Category, Taxonomies.Tag)] string Taxonomy, string Name, bool Deleted, string Note)
{
    public static Outcome<TermDeleteResult> Of(Outcome<TermEdit> edit) => edit.Succeeded
        ? new TermDeleteResult(edit.Value!.Term.Id, edit.Value.Term.Taxonomy, edit.Value.Term.Name, true, edit.Value.Note ?? "")
        : edit.Problem!;
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(TagCreateInput))]
[JsonSerializable(typeof(CategoryCreateInput))]
[JsonSerializable(typeof(TagUpdateInput))]
[JsonSerializable(typeof(CategoryUpdateInput))]
[JsonSerializable(typeof(TermDeleteInput))]
[JsonSerializable(typeof(TermDeleteResult))]
internal sealed partial class TermJson : JsonSerializerContext;
