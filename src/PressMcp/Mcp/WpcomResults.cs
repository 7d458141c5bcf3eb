using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using PressMcp.Content;

namespace PressMcp.Mcp;

/// <summary>
/// An ability's result as WordPress.com's content-authoring tool answers it: the REST API's object (a post's
/// <c>title</c>, <c>content</c> and <c>excerpt</c> as <c>{raw, rendered}</c>, <c>author</c>, <c>categories</c> and
/// <c>tags</c> as ids, <c>featured_media</c>, <c>meta</c>; a comment's <c>post</c> and <c>parent</c> as ids; a delete for
/// good as <c>{deleted, previous}</c>), plus PressMcp's <c>note</c> and <c>revision_id</c> when present; then trimmed to
/// <c>include_fields</c> as WordPress's <c>_fields</c> trims: names (or dotted paths such as <c>title.raw</c>) that the
/// object lacks are ignored, and <c>id</c> is always kept. Rendered HTML comes from the public pages' renderer.
/// </summary>
internal sealed class WpcomResults(RenderedContent rendered)
{
    public JsonObject Shape(ResultShape shape, JsonElement value, CancellationToken ct) => shape switch
    {
        ResultShape.Post => Post(value, ct),
        ResultShape.Comment => Comment(value),
        ResultShape.Term => Term(value),
        ResultShape.Media => Media(value, ct),
        ResultShape.PostDeleted => Deleted(new JsonObject
        {
            ["id"] = Copy(value, "id"),
            ["type"] = Copy(value, "type"),
            ["title"] = Text(value.GetProperty("title").GetString()!),
            ["status"] = Copy(value, "previous_status"),
        }, value, ("revisions_deleted", Copy(value, "revisions_deleted"))),
        ResultShape.CommentDeleted => Deleted(Comment(value), value),
        ResultShape.TermDeleted => Deleted(new JsonObject { ["id"] = Copy(value, "id"), ["name"] = Copy(value, "name"), ["taxonomy"] = Copy(value, "taxonomy") }, value),
        ResultShape.MediaDeleted => Deleted(Media(value.GetProperty("previous"), ct), value),
        _ => JsonObject.Create(value) is { } plain ? (JsonObject)plain.DeepClone() : [],
    };

    /// <summary>Keeps the fields named (top-level names or dotted paths) and <c>id</c>; null keeps everything.</summary>
    public static JsonObject Trim(JsonObject result, IReadOnlyList<string>? fields)
    {
        if (fields is null || fields.Count == 0) return result;
        var kept = new JsonObject();
        if (result["id"] is { } id) kept["id"] = id.DeepClone();
        foreach (var field in fields) Keep(result, kept, field.Split('.'), 0);
        return kept;
    }

    private static void Keep(JsonObject from, JsonObject into, string[] path, int at)
    {
        if (!from.TryGetPropertyValue(path[at], out var value)) return;
        if (at == path.Length - 1 || value is not JsonObject inner)
        {
            // A path past a value that is not an object names nothing more: the value itself is kept, as WordPress does.
            into[path[at]] = value?.DeepClone();
            return;
        }
        if (into[path[at]] is not JsonObject target)
        {
            if (into.ContainsKey(path[at])) return;
            into[path[at]] = target = new JsonObject();
        }
        Keep(inner, target, path, at + 1);
    }

    private JsonObject Post(JsonElement v, CancellationToken ct)
    {
        var content = v.GetProperty("content").GetString()!;
        var excerpt = v.GetProperty("excerpt").GetString()!;
        var post = new JsonObject
        {
            ["id"] = Copy(v, "id"),
            ["type"] = Copy(v, "type"),
            ["date"] = Copy(v, "date"),
            ["modified"] = Copy(v, "modified"),
            ["slug"] = Copy(v, "slug"),
            ["status"] = Copy(v, "status"),
            ["link"] = Copy(v, "link"),
            ["title"] = Text(v.GetProperty("title").GetString()!),
            ["content"] = new JsonObject { ["raw"] = content, ["rendered"] = rendered.Html(content, null, ct) },
            ["excerpt"] = new JsonObject
            {
                ["raw"] = excerpt,
                ["rendered"] = excerpt.Trim().Length > 0 ? ContentRenderer.AuthorExcerpt(excerpt) : ContentRenderer.AutomaticExcerpt(content, ct: ct),
            },
            ["author"] = v.GetProperty("author").GetProperty("id").ValueKind == JsonValueKind.Number ? v.GetProperty("author").GetProperty("id").GetInt64() : 0,
            ["featured_media"] = Copy(v, "featured_media"),
            ["comment_status"] = Copy(v, "comment_status"),
            ["meta"] = Copy(v, "meta"),
        };
        if (v.TryGetProperty("parent", out var parent)) post["parent"] = parent.ValueKind == JsonValueKind.Number ? parent.GetInt64() : 0;
        if (v.TryGetProperty("menu_order", out var order)) post["menu_order"] = order.GetInt32();
        if (post["type"]!.GetValue<string>() == PostTypes.Post)
        {
            post["categories"] = Ids(v.GetProperty("categories"));
            post["tags"] = Ids(v.GetProperty("tags"));
        }
        Extras(post, v, "revision_id", "note");
        return post;
    }

    private static JsonObject Comment(JsonElement v)
    {
        var content = v.GetProperty("content").GetString()!;
        var comment = new JsonObject
        {
            ["id"] = Copy(v, "id"),
            ["post"] = v.GetProperty("post").GetProperty("id").GetInt64(),
            ["parent"] = v.GetProperty("parent_id").ValueKind == JsonValueKind.Number ? v.GetProperty("parent_id").GetInt64() : 0,
            ["author_name"] = Copy(v, "author_name"),
            ["date"] = Copy(v, "date"),
            // The REST API's names: a comment held for moderation is "hold".
            ["status"] = StatusName(v.GetProperty("status").GetString()!),
            ["content"] = new JsonObject { ["raw"] = content, ["rendered"] = Paragraphs(content) },
            ["link"] = Copy(v, "link"),
        };
        if (v.TryGetProperty("previous_status", out var previous)) comment["previous_status"] = StatusName(previous.GetString()!);
        Extras(comment, v, "note");
        return comment;
    }

    private static JsonObject Term(JsonElement v) => new()
    {
        ["id"] = Copy(v, "id"),
        ["name"] = Copy(v, "name"),
        ["slug"] = Copy(v, "slug"),
        ["description"] = Copy(v, "description"),
        ["parent"] = v.GetProperty("parent").ValueKind == JsonValueKind.Number ? v.GetProperty("parent").GetInt64() : 0,
        ["taxonomy"] = Copy(v, "taxonomy"),
        ["link"] = Copy(v, "link"),
    };

    private JsonObject Media(JsonElement v, CancellationToken ct)
    {
        var caption = v.GetProperty("caption").GetString()!;
        var description = v.GetProperty("description").GetString()!;
        var mime = v.GetProperty("mime_type").GetString()!;
        return new JsonObject
        {
            ["id"] = Copy(v, "id"),
            ["date"] = Copy(v, "date"),
            ["modified"] = Copy(v, "modified"),
            ["slug"] = Copy(v, "slug"),
            ["type"] = PostTypes.Attachment,
            ["author"] = Copy(v, "author"),
            ["title"] = Text(v.GetProperty("title").GetString()!),
            ["alt_text"] = Copy(v, "alt_text"),
            ["caption"] = new JsonObject { ["raw"] = caption, ["rendered"] = rendered.Html(caption, null, ct) },
            ["description"] = new JsonObject { ["raw"] = description, ["rendered"] = rendered.Html(description, null, ct) },
            ["media_type"] = mime.StartsWith("image/", StringComparison.Ordinal) ? "image" : "file",
            ["mime_type"] = mime,
            ["source_url"] = Copy(v, "source_url"),
            ["post"] = v.GetProperty("post").ValueKind == JsonValueKind.Number ? v.GetProperty("post").GetInt64() : null,
        };
    }

    private static JsonObject Deleted(JsonObject previous, JsonElement v, params (string Name, JsonNode? Value)[] more)
    {
        var deleted = new JsonObject { ["id"] = previous["id"]?.DeepClone(), ["deleted"] = true, ["previous"] = previous };
        foreach (var (name, value) in more) deleted[name] = value;
        Extras(deleted, v, "note");
        return deleted;
    }

    private static string StatusName(string status) => status == "pending" ? "hold" : status;

    /// <summary>A plain title as the REST API gives it: the text, and the text as HTML.</summary>
    private static JsonObject Text(string raw) => new() { ["raw"] = raw, ["rendered"] = WebUtility.HtmlEncode(raw) };

    /// <summary>A comment's plain text as paragraphs, as the public page shows it.</summary>
    private static string Paragraphs(string text) =>
        string.Concat(text.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => $"<p>{WebUtility.HtmlEncode(p).Replace("\n", "<br>\n", StringComparison.Ordinal)}</p>\n"));

    private static JsonArray Ids(JsonElement terms) => [.. terms.EnumerateArray().Select(t => (JsonNode?)t.GetProperty("id").GetInt64())];

    private static void Extras(JsonObject into, JsonElement v, params string[] names)
    {
        foreach (var name in names)
            if (v.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null) into[name] = JsonNode.Parse(value.GetRawText());
    }

    private static JsonNode? Copy(JsonElement v, string name) => v.TryGetProperty(name, out var value) ? JsonNode.Parse(value.GetRawText()) : null;
}
