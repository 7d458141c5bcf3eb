using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using PressMcp.Abilities;
using PressMcp.Accounts;

namespace PressMcp.Media.Abilities;

/// <summary>
/// <c>media/upload</c>: a file as base64 with its name, title, alt text and caption, into a folder (given, or the one
/// the site's rules choose), optionally attached to a post. Everything after decoding is <see cref="MediaUploader"/>'s,
/// the same path the media page takes.
/// </summary>
internal sealed class MediaUploadAbility(MediaOptions options, MediaUploader uploader) : Ability<MediaUploadInput, MediaUploadResult>, IAbilityDefinition
{
    public const string Name = "media/upload";

    public static AbilityInfo Info { get; } = new(Name, "Upload media",
        "Uploads a file (base64) to the media library. Accepted: images (JPEG, PNG, GIF, WebP, AVIF, HEIC, SVG), audio, video, PDF and office documents, " +
        "recognised by their content. Returns the media id, its public URL, type, size, dimensions for images and the folder it was placed in.",
        MediaAbilities.Category, AbilityAnnotations.Write, [MediaAbilities.WriteScope], Caps.UploadFiles, SiteScoped: true,
        MediaUploadJson.Default.MediaUploadInput, MediaUploadJson.Default.MediaUploadResult);

    protected override async Task<Outcome<MediaUploadResult>> ExecuteAsync(MediaUploadInput input, AbilityCall call, CancellationToken ct)
    {
        // The base64 text is read once into the input record (as the JsonElement reader did before); from here on it is
        // only sliced, never copied, until it is decoded.
        var data = input.Data.AsSpan();
        // A data: URL's declared type is ignored like any other claim about the content.
        if (data.StartsWith("data:", StringComparison.OrdinalIgnoreCase) && data.IndexOf(";base64,", StringComparison.OrdinalIgnoreCase) is var comma and > 0)
            data = data[(comma + 8)..];
        // Base64 is 4/3 of the bytes: anything far longer cannot fit, and is refused before it is decoded.
        if (data.Length / 4L * 3 > options.MaxUploadBytes + options.MaxUploadBytes / 8)
            return Problem.Invalid($"the file is larger than the upload limit of {options.MaxUploadText} ({options.MaxUploadBytes} bytes)");
        // Every 4 characters (white space aside) are at most 3 bytes, so this buffer always holds the decoded file.
        var bytes = new byte[(data.Length / 4 + 1) * 3];
        if (!Convert.TryFromBase64Chars(data, bytes, out var length)) return Problem.Invalid("data is not valid base64");
        var request = new UploadRequest(input.Filename, input.Title, input.AltText, input.Caption, input.FolderId?.Folder, input.PostId);
        using var content = new MemoryStream(bytes, 0, length, writable: false);
        var uploaded = await uploader.UploadAsync(call.Site!, call.Actor!, content, request, MediaChanges.For(call), ct);
        if (!uploaded.Succeeded) return uploaded.Problem!;
        var m = uploaded.Value!;
        return new MediaUploadResult(m.Id, m.Url, m.FileName, m.Title, m.Mime, m.SizeBytes, m.Width, m.Height, m.Sha256, m.FolderId, m.FolderPath, m.PlacedByRule);
    }
}

internal sealed record MediaUploadInput
{
    [MinLength(1), Description("The file's bytes in base64 (a data: URL prefix is accepted and ignored). The type is taken from the bytes, never from the name.")]
    public required string Data { get; init; }

    [StringLength(255, MinimumLength = 1), Description("The original file name, e.g. beach-2026.jpg")]
    public required string Filename { get; init; }

    [StringLength(1000), Description("Default: the file name without its extension")]
    public string? Title { get; init; }

    [StringLength(1000), Description("Alternative text for images")]
    public string? AltText { get; init; }

    [StringLength(10000)]
    public string? Caption { get; init; }

    [Description("The folder: its id or path (Photos/2026/Trips). Default: the folder of the first enabled rule that matches, else none")]
    public FolderArgument? FolderId { get; init; }

    [Range(1, long.MaxValue), Description("Attach the file to this post or page (you must be able to edit it)")]
    public long? PostId { get; init; }
}

internal sealed record MediaUploadResult(
    long Id, string Url, string Filename, string Title, string MimeType, long Size, int? Width, int? Height, string Sha256,
    long? FolderId, string? FolderPath, string? PlacedByRule);

[JsonSourceGenerationOptions(PropertyNamingPolicy = AbilityJson.Naming, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(MediaUploadInput))]
[JsonSerializable(typeof(MediaUploadResult))]
internal sealed partial class MediaUploadJson : JsonSerializerContext;
