using System.Text.Json;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content.Authoring;

namespace PressMcp.Content.Abilities;

/// <summary>
/// <c>posts/create</c>, <c>posts/update</c>, <c>posts/trash</c> and the same for pages. The ability's capability
/// (edit_posts, edit_pages, delete_posts, delete_pages) is what a role needs to use it at all; the post itself is
/// then checked by <see cref="PostEditor"/> (edit_post or delete_post with the owner rules, and who may publish).
/// Categories and tags are for posts, parent and menu order for pages, as in WordPress.
/// </summary>
internal sealed class PostWriteAbilities : IAbilitySource
{
    public const string CreatePost = "posts/create";
    public const string UpdatePost = "posts/update";
    public const string TrashPost = "posts/trash";
    public const string CreatePage = "pages/create";
    public const string UpdatePage = "pages/update";
    public const string TrashPage = "pages/trash";

    private static readonly AbilityAnnotations Create = AbilityAnnotations.Write;
    // An update replaces what was there (a revision keeps it); repeating it changes nothing more.
    private static readonly AbilityAnnotations Update = new(ReadOnly: false, Destructive: true, Idempotent: true);
    private static readonly AbilityAnnotations Trash = new(ReadOnly: false, Destructive: true, Idempotent: true);

    // Left open: each property adds its description and the closing brace.
    private const string TermList = """{"type":"array","maxItems":50,"items":{"anyOf":[{"type":"integer","minimum":1},{"type":"string","minLength":1,"maxLength":200}]}""";

    private static string Fields(string type, bool create)
    {
        var id = create ? "" : $$"""
            "post_id":{"type":"integer","minimum":1,"description":"The {{type}} to change"},
            """;
        var specific = type == PostTypes.Post
            ? $$$"""
                "categories":{{{TermList}}},"description":"Category ids, slugs or names; they must exist (categories.create)"},
                "tags":{{{TermList}}},"description":"Tag ids, slugs or names; unknown names are created if your role may manage terms"}
                """
            : """
                "parent":{"type":"integer","minimum":0,"description":"Parent page id; 0 for the top level"},
                "menu_order":{"type":"integer","minimum":-1000000,"maximum":1000000}
                """;
        return $$$"""
            {{{AbilityInput.SiteProperty}}},{{{id}}}
            "title":{"type":"string","minLength":1,"maxLength":1000},
            "content":{"type":"string","maxLength":1000000,"description":"HTML or block markup; stored as given, sanitized when shown"},
            "excerpt":{"type":"string","maxLength":10000},
            "status":{"type":"string","enum":["draft","pending","publish","future","private"],"description":"{{{(create ? "Default draft. " : "")}}}publish, future and private need a role that may publish; otherwise the {{{type}}} stays unpublished and note says so"},
            "slug":{"type":"string","minLength":1,"maxLength":200,"description":"Made from the title when absent; made unique on the site"},
            "date":{"type":"string","format":"date-time","description":"Publication date; a future date with status publish or future schedules it"},
            "comment_status":{"type":"string","enum":["open","closed"]},
            {{{specific}}}
            """;
    }

    private static string CreateInput(string type) =>
        $$$"""{"type":"object","additionalProperties":false,"required":["wpcom_site","title"],"properties":{{{{Fields(type, create: true)}}}}}""";

    private static string UpdateInput(string type) =>
        $$$"""{"type":"object","additionalProperties":false,"required":["wpcom_site","post_id"],"properties":{{{{Fields(type, create: false)}}}}}""";

    private static string TrashInput(string type) =>
        $$$$"""{"type":"object","additionalProperties":false,"required":["wpcom_site","post_id"],"properties":{{{{{AbilityInput.SiteProperty}}}},"post_id":{"type":"integer","minimum":1,"description":"The {{{{type}}}} to move to the trash"}}}""";

    public IEnumerable<Ability> Abilities() =>
    [
        new Ability(CreatePost, "Create a post", "Creates a post (a draft unless your role may publish and status asks for publication), with categories and tags.",
            "posts", CreateInput(PostTypes.Post), AuthoringResults.PostSchema, Create, [OAuth.Scopes.ContentWrite], Caps.EditPosts, siteScoped: true,
            (call, ct) => CreateAsync(call, PostTypes.Post, ct)),
        new Ability(UpdatePost, "Update a post", "Changes the given fields of a post; the previous version is kept as a revision.",
            "posts", UpdateInput(PostTypes.Post), AuthoringResults.PostSchema, Update, [OAuth.Scopes.ContentWrite], Caps.EditPosts, siteScoped: true,
            (call, ct) => UpdateAsync(call, PostTypes.Post, ct)),
        new Ability(TrashPost, "Trash a post", "Moves a post to the trash (it can be restored); the previous version is kept as a revision.",
            "posts", TrashInput(PostTypes.Post), AuthoringResults.PostSchema, Trash, [OAuth.Scopes.ContentWrite], Caps.DeletePosts, siteScoped: true,
            (call, ct) => TrashAsync(call, PostTypes.Post, ct)),
        new Ability(CreatePage, "Create a page", "Creates a page (a draft unless your role may publish pages and status asks for publication), optionally under a parent page.",
            "pages", CreateInput(PostTypes.Page), AuthoringResults.PostSchema, Create, [OAuth.Scopes.ContentWrite], Caps.EditPages, siteScoped: true,
            (call, ct) => CreateAsync(call, PostTypes.Page, ct)),
        new Ability(UpdatePage, "Update a page", "Changes the given fields of a page; the previous version is kept as a revision.",
            "pages", UpdateInput(PostTypes.Page), AuthoringResults.PostSchema, Update, [OAuth.Scopes.ContentWrite], Caps.EditPages, siteScoped: true,
            (call, ct) => UpdateAsync(call, PostTypes.Page, ct)),
        new Ability(TrashPage, "Trash a page", "Moves a page to the trash (it can be restored); the previous version is kept as a revision.",
            "pages", TrashInput(PostTypes.Page), AuthoringResults.PostSchema, Trash, [OAuth.Scopes.ContentWrite], Caps.DeletePages, siteScoped: true,
            (call, ct) => TrashAsync(call, PostTypes.Page, ct)),
    ];

    private static async Task<Outcome<JsonElement>> CreateAsync(AbilityCall call, string type, CancellationToken ct)
    {
        var edit = await call.Services.GetRequiredService<PostEditor>().CreateAsync(call, type, ChangeOf(call.Input), ct);
        return edit.Succeeded ? Outcome<JsonElement>.Ok(await AuthoringResults.PostAsync(call, edit.Value!, ct)) : edit.Problem!;
    }

    private static async Task<Outcome<JsonElement>> UpdateAsync(AbilityCall call, string type, CancellationToken ct)
    {
        var edit = await call.Services.GetRequiredService<PostEditor>().UpdateAsync(call, type, call.Input.Integer("post_id")!.Value, ChangeOf(call.Input), ct);
        return edit.Succeeded ? Outcome<JsonElement>.Ok(await AuthoringResults.PostAsync(call, edit.Value!, ct)) : edit.Problem!;
    }

    private static async Task<Outcome<JsonElement>> TrashAsync(AbilityCall call, string type, CancellationToken ct)
    {
        var edit = await call.Services.GetRequiredService<PostEditor>().TrashAsync(call, type, call.Input.Integer("post_id")!.Value, ct);
        return edit.Succeeded ? Outcome<JsonElement>.Ok(await AuthoringResults.PostAsync(call, edit.Value!, ct)) : edit.Problem!;
    }

    /// <summary>The fields given; the schema has checked their types and ranges.</summary>
    internal static PostChange ChangeOf(JsonElement input) => new()
    {
        Title = input.Text("title"),
        Content = input.Text("content"),
        Excerpt = input.Text("excerpt"),
        Status = input.Text("status"),
        Slug = input.Text("slug"),
        DateUtc = input.DateUtc("date"),
        Categories = References(input, "categories"),
        Tags = References(input, "tags"),
        CommentStatus = input.Text("comment_status"),
        ParentId = input.Integer("parent"),
        MenuOrder = input.Integer("menu_order") is { } order ? (int)order : null,
    };

    /// <summary>Numbers are ids; strings are slugs or names (a name made of digits stays a name).</summary>
    private static List<TermReference>? References(JsonElement input, string name) =>
        input.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? new TermReference(v.GetInt64(), null) : new TermReference(null, v.GetString())).ToList()
            : null;
}
