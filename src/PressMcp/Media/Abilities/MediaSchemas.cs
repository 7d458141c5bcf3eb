using System.Text.Json;
using PressMcp.Abilities;

namespace PressMcp.Media.Abilities;

/// <summary>Schema fragments and readers the media abilities share.</summary>
internal static class MediaSchemas
{
    public const string ReadScope = "media:read";
    public const string WriteScope = "media:write";

    public static readonly AbilityAnnotations Destructive = new(ReadOnly: false, Destructive: true, Idempotent: false);
    public static readonly AbilityAnnotations IdempotentWrite = new(ReadOnly: false, Destructive: false, Idempotent: true);

    /// <summary>A folder: an id, or a path of names from the top such as <c>Photos/2026/Trips</c>.</summary>
    public static string FolderProperty(string name, string description, int minimumId = 1) =>
        $$"""
        "{{name}}":{"anyOf":[{"type":"integer","minimum":{{minimumId}}},{"type":"string","minLength":1,"maxLength":2000}],"description":"{{description}}"}
        """;

    public const string FolderOutput = """
        {"type":"object","required":["id","name","parent_id","path","count"],"properties":{"id":{"type":"integer"},"name":{"type":"string"},
          "parent_id":{"type":["integer","null"]},"path":{"type":"string"},"count":{"type":"integer"}}}
        """;

    public static FolderRef? Folder(this JsonElement input, string name) =>
        input.TryGetProperty(name, out var v) ? FolderRef.From(v) : null;

    public static object Json(FolderInfo f) => new { id = f.Id, name = f.Name, parent_id = f.ParentId, path = f.Path, count = f.Count };

    public static Outcome<JsonElement> Ok(object value) => Outcome<JsonElement>.Ok(JsonSerializer.SerializeToElement(value));
}
