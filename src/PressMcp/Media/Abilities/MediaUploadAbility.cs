using System.Text.Json;
using PressMcp.Abilities;
using PressMcp.Accounts;

namespace PressMcp.Media.Abilities;

/// <summary>
/// <c>media/upload</c>: a file as base64 with its name, title, alt text and caption, into a folder (given, or the one
/// the site's rules choose), optionally attached to a post. Everything after decoding is <see cref="MediaUploader"/>'s,
/// the same path the media page takes.
/// </summary>
internal sealed class MediaUploadAbility : IAbilitySource
{
    public const string Name = "media/upload";

    private static readonly string Input = $$$$"""
        {"type":"object","additionalProperties":false,"required":["wpcom_site","data","filename"],"properties":{
          {{{{AbilityInput.SiteProperty}}}},
          "data":{"type":"string","minLength":1,"description":"The file's bytes in base64 (a data: URL prefix is accepted and ignored). The type is taken from the bytes, never from the name."},
          "filename":{"type":"string","minLength":1,"maxLength":255,"description":"The original file name, e.g. beach-2026.jpg"},
          "title":{"type":"string","maxLength":1000,"description":"Default: the file name without its extension"},
          "alt_text":{"type":"string","maxLength":1000,"description":"Alternative text for images"},
          "caption":{"type":"string","maxLength":10000},
          {{{{MediaSchemas.FolderProperty("folder_id", "The folder: its id or path (Photos/2026/Trips). Default: the folder of the first enabled rule that matches, else none")}}}},
          "post_id":{"type":"integer","minimum":1,"description":"Attach the file to this post or page (you must be able to edit it)"}}}
        """;

    private const string Output = """
        {"type":"object","required":["id","url","filename","title","mime_type","size","width","height","sha256","folder_id","folder_path","placed_by_rule"],"properties":{
          "id":{"type":"integer"},"url":{"type":"string"},"filename":{"type":"string"},"title":{"type":"string"},"mime_type":{"type":"string"},
          "size":{"type":"integer"},"width":{"type":["integer","null"]},"height":{"type":["integer","null"]},"sha256":{"type":"string"},
          "folder_id":{"type":["integer","null"]},"folder_path":{"type":["string","null"]},"placed_by_rule":{"type":["string","null"]}}}
        """;

    public IEnumerable<Ability> Abilities() =>
    [
        new Ability(Name, "Upload media",
            "Uploads a file (base64) to the media library. Accepted: images (JPEG, PNG, GIF, WebP, AVIF, HEIC, SVG), audio, video, PDF and office documents, " +
            "recognised by their content. Returns the media id, its public URL, type, size, dimensions for images and the folder it was placed in.",
            "media", Input, Output, AbilityAnnotations.Write, scopes: [MediaSchemas.WriteScope], capability: Caps.UploadFiles, siteScoped: true, ExecuteAsync),
    ];

    private static async Task<Outcome<JsonElement>> ExecuteAsync(AbilityCall call, CancellationToken ct)
    {
        var options = call.Services.GetRequiredService<MediaOptions>();
        var data = call.Input.Text("data")!;
        // A data: URL's declared type is ignored like any other claim about the content.
        if (data.StartsWith("data:", StringComparison.OrdinalIgnoreCase) && data.IndexOf(";base64,", StringComparison.OrdinalIgnoreCase) is var comma and > 0)
            data = data[(comma + 8)..];
        // Base64 is 4/3 of the bytes: anything far longer cannot fit, and is refused before it is decoded.
        if (data.Length / 4L * 3 > options.MaxUploadBytes + options.MaxUploadBytes / 8)
            return Problem.Invalid($"the file is larger than the upload limit of {options.MaxUploadText} ({options.MaxUploadBytes} bytes)");
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(data);
        }
        catch (FormatException)
        {
            return Problem.Invalid("data is not valid base64");
        }
        var request = new UploadRequest(call.Input.Text("filename")!, call.Input.Text("title"), call.Input.Text("alt_text"), call.Input.Text("caption"),
            call.Input.Folder("folder_id"), call.Input.Integer("post_id"));
        using var content = new MemoryStream(bytes, writable: false);
        var uploaded = await call.Services.GetRequiredService<MediaUploader>().UploadAsync(call.Site!, call.Actor!, content, request, MediaChanges.For(call), ct);
        if (!uploaded.Succeeded) return uploaded.Problem!;
        var m = uploaded.Value!;
        return MediaSchemas.Ok(new
        {
            id = m.Id, url = m.Url, filename = m.FileName, title = m.Title, mime_type = m.Mime, size = m.SizeBytes, width = m.Width, height = m.Height,
            sha256 = m.Sha256, folder_id = m.FolderId, folder_path = m.FolderPath, placed_by_rule = m.PlacedByRule,
        });
    }
}
