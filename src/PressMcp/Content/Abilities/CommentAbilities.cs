using System.Text.Json;
using System.Text.Json.Nodes;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Content.Authoring;
using PressMcp.Content.Search;

namespace PressMcp.Content.Abilities;

/// <summary>
/// <c>comments/search</c>, <c>comments/reply</c> and <c>comments/moderate</c>. Searching comments is for contributors
/// and up (edit_posts), like post search in WordPress.com's table; what each role then sees is WordPress's rule
/// (<see cref="CommentSearch"/>). Replying needs only membership (read): WordPress lets subscribers comment.
/// Moderating is offered to contributors and up and decided per comment (moderate_comments or edit_comment).
/// </summary>
internal sealed class CommentAbilities : IAbilitySource
{
    public const string Search = "comments/search";
    public const string Reply = "comments/reply";
    public const string Moderate = "comments/moderate";

    private const string CommentsRead = "comments:read";
    private const string CommentsWrite = "comments:write";

    private static readonly string SearchInput = $$$$"""
        {"type":"object","additionalProperties":false,"required":["wpcom_site"],"properties":{
          {{{{AbilityInput.SiteProperty}}}},
          "status":{"type":"string","enum":["approved","pending","spam","trash"],"description":"Default approved; the others only where you may moderate"},
          "post_id":{"type":"integer","minimum":1,"description":"Only comments on this post or page"},
          "search":{"type":"string","minLength":1,"maxLength":200,"description":"Text to find in the comment or its author's name (case-insensitive substring)"},
          {{{{Paging.Schema(CommentQuery.DefaultPerPage)}}}}}}
        """;

    private const string SearchOutput = """
        {"type":"object","required":["found","page","per_page","comments"],"properties":{
          "found":{"type":"integer"},"page":{"type":"integer"},"per_page":{"type":"integer"},
          "comments":{"type":"array","items":{"type":"object","required":["id","post","parent_id","depth","author_name","date","status","content","link","replies"],"properties":{
            "id":{"type":"integer"},
            "post":{"type":"object","required":["id","title"],"properties":{"id":{"type":"integer"},"title":{"type":"string"}}},
            "parent_id":{"type":["integer","null"]},
            "depth":{"type":"integer","minimum":0,"description":"0 for a comment on the post, 1 for a reply to one, …"},
            "author_name":{"type":"string"},"date":{"type":"string"},
            "status":{"type":"string","enum":["approved","pending","spam","trash"]},
            "content":{"type":"string"},"link":{"type":"string"},
            "replies":{"type":"array","items":{"type":"object"},"description":"Replies found on the same page, shaped like this item"}}}}}}
        """;

    private static readonly string ReplyInput = $$$$"""
        {"type":"object","additionalProperties":false,"required":["wpcom_site","post_id","content"],"properties":{
          {{{{AbilityInput.SiteProperty}}}},
          "post_id":{"type":"integer","minimum":1,"description":"The post or page to comment on"},
          "parent":{"type":"integer","minimum":1,"description":"The comment to reply to (on the same post)"},
          "content":{"type":"string","minLength":1,"maxLength":65525,"description":"Plain text"}}}
        """;

    private static readonly string ModerateInput = $$$$"""
        {"type":"object","additionalProperties":false,"required":["wpcom_site","comment_id","status"],"properties":{
          {{{{AbilityInput.SiteProperty}}}},
          "comment_id":{"type":"integer","minimum":1},
          "status":{"type":"string","enum":["approve","hold","spam","trash"],"description":"approve publishes it, hold returns it to pending"}}}
        """;

    public IEnumerable<Ability> Abilities() =>
    [
        new Ability(Search, "Search comments", "Finds comments of a site by status, post and text, newest first, as threads; pending, spam and trash only where your role may moderate.",
            "comments", SearchInput, SearchOutput, AbilityAnnotations.Read, [CommentsRead], Caps.EditPosts, siteScoped: true, SearchAsync),
        new Ability(Reply, "Reply to a comment", "Comments on a post or page as you, or replies to one of its comments; approved at once if you may moderate, otherwise held for moderation.",
            "comments", ReplyInput, AuthoringResults.CommentSchema, AbilityAnnotations.Write, [CommentsWrite], Caps.Read, siteScoped: true, ReplyAsync),
        new Ability(Moderate, "Moderate a comment", "Approves a comment, holds it for moderation, marks it as spam or moves it to the trash.",
            "comments", ModerateInput, AuthoringResults.CommentSchema, new AbilityAnnotations(ReadOnly: false, Destructive: true, Idempotent: true),
            [CommentsWrite], Caps.EditPosts, siteScoped: true, ModerateAsync),
    ];

    private static async Task<Outcome<JsonElement>> SearchAsync(AbilityCall call, CancellationToken ct)
    {
        var input = call.Input;
        var paging = Paging.From(input, CommentQuery.DefaultPerPage);
        if (!paging.Succeeded) return paging.Problem!;
        var query = new CommentQuery
        {
            Status = CommentStatusNames.Stored(input.Text("status") ?? CommentStatuses.Approved),
            PostId = input.Integer("post_id"),
            Text = input.Text("search"),
            Page = paging.Value.Page,
            PerPage = paging.Value.PerPage,
        };
        var found = await call.Services.GetRequiredService<CommentSearch>().SearchAsync(call.Site!.Id, call.Actor!, query, ct);
        var links = AuthoringResults.LinksOf(call);
        JsonObject Item(ThreadNode node)
        {
            var item = AuthoringResults.Comment(call.Site!, links, node.Comment, found.Posts[node.Comment.PostId]);
            item["depth"] = node.Depth;
            item["replies"] = new JsonArray([.. node.Replies.Select(r => (JsonNode)Item(r))]);
            return item;
        }
        return Outcome<JsonElement>.Ok(JsonSerializer.SerializeToElement(new JsonObject
        {
            ["found"] = found.Total,
            ["page"] = query.Page,
            ["per_page"] = query.PerPage,
            ["comments"] = new JsonArray([.. found.Threads.Select(t => (JsonNode)Item(t))]),
        }));
    }

    private static async Task<Outcome<JsonElement>> ReplyAsync(AbilityCall call, CancellationToken ct)
    {
        var input = call.Input;
        var edit = await call.Services.GetRequiredService<CommentEditor>()
            .ReplyAsync(call, input.Integer("post_id")!.Value, input.Integer("parent"), input.Text("content")!, ct);
        if (!edit.Succeeded) return edit.Problem!;
        var e = edit.Value!;
        return Outcome<JsonElement>.Ok(JsonSerializer.SerializeToElement(AuthoringResults.Comment(call.Site!, AuthoringResults.LinksOf(call), e.Comment, e.Post, e.Note)));
    }

    private static async Task<Outcome<JsonElement>> ModerateAsync(AbilityCall call, CancellationToken ct)
    {
        var input = call.Input;
        var editor = call.Services.GetRequiredService<CommentEditor>();
        var edit = await editor.ModerateAsync(call, input.Integer("comment_id")!.Value, input.Text("status")!, ct);
        if (!edit.Succeeded) return edit.Problem!;
        var e = edit.Value!;
        return Outcome<JsonElement>.Ok(JsonSerializer.SerializeToElement(
            AuthoringResults.Comment(call.Site!, AuthoringResults.LinksOf(call), e.Comment, e.Post, e.Note, e.PreviousStatus)));
    }
}
