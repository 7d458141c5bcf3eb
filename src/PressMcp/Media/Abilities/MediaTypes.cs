using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using PressMcp.Abilities;

namespace PressMcp.Media.Abilities;

/// <summary>What the media abilities share: their scopes and hints.</summary>
internal static class MediaAbilities
{
    public const string Category = "media";

    // The VMFA abilities are grouped as vmfa-ai-ability groups them, one category per add-on, so an agent that
    // browses by category finds them where a skill written for the plugin expects them.
    public const string FolderCategory = "vmfo-folder-management";
    public const string CleanupCategory = "vmfo-media-cleanup";
    public const string RulesCategory = "vmfo-rules-engine";
    public const string OrganizerCategory = "vmfo-ai-organizer";
    public const string ExporterCategory = "vmfo-folder-exporter";
    public const string ReadScope = "media:read";
    public const string WriteScope = "media:write";

    public static readonly AbilityAnnotations Destructive = new(ReadOnly: false, Destructive: true, Idempotent: false);
    public static readonly AbilityAnnotations IdempotentWrite = new(ReadOnly: false, Destructive: false, Idempotent: true);
}

/// <summary>
/// A folder as an agent names it (<see cref="FolderRef"/>): an id (a JSON number), or a path of names from the top such
/// as <c>Photos/2026/Trips</c> (a string).
/// </summary>
[JsonConverter(typeof(FolderArgumentConverter))]
[JsonSchemaText("""{"anyOf":[{"type":"integer","minimum":1},{"type":"string","minLength":1,"maxLength":2000}]}""")]
internal sealed record FolderArgument(FolderRef Folder);

/// <summary>A parent folder: as <see cref="FolderArgument"/>, and 0 (or the path <c>/</c>) for the top level.</summary>
[JsonConverter(typeof(ParentFolderArgumentConverter))]
[JsonSchemaText("""{"anyOf":[{"type":"integer","minimum":0},{"type":"string","minLength":1,"maxLength":2000}]}""")]
internal sealed record ParentFolderArgument(FolderRef Folder);

/// <summary>Reads and writes a folder argument as the agent gives it; the schema has bounded it before.</summary>
internal abstract class FolderRefConverter<T>(Func<FolderRef, T> wrap, Func<T, FolderRef> unwrap) : JsonConverter<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out var id) => wrap(FolderRef.ById(id)),
        JsonTokenType.String => wrap(FolderRef.Parse(reader.GetString()!)),
        _ => throw new JsonException("a folder is an id or a path"),
    };

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        var folder = unwrap(value);
        if (folder.Id is { } id) writer.WriteNumberValue(id);
        else writer.WriteStringValue(string.Join('/', folder.Path!));
    }
}

internal sealed class FolderArgumentConverter() : FolderRefConverter<FolderArgument>(f => new(f), a => a.Folder);

internal sealed class ParentFolderArgumentConverter() : FolderRefConverter<ParentFolderArgument>(f => new(f), a => a.Folder);

/// <summary>
/// An id in a list of ids (media, scan results): a positive integer. A type of its own so the list's schema bounds
/// each item, not the list.
/// </summary>
[JsonConverter(typeof(PositiveIdConverter))]
[JsonSchemaText("""{"type":"integer","minimum":1}""")]
internal readonly record struct PositiveId(long Value);

internal sealed class PositiveIdConverter : JsonConverter<PositiveId>
{
    public override PositiveId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var id) ? new PositiveId(id) : throw new JsonException("an id is an integer");

    public override void Write(Utf8JsonWriter writer, PositiveId value, JsonSerializerOptions options) => writer.WriteNumberValue(value.Value);
}

/// <summary>
/// A media folder as the folder abilities answer it. A top-level folder's <c>parent_id</c> is 0, as WordPress gives a
/// root term's parent (and as the plugin's abilities answer), never null.
/// </summary>
internal sealed record FolderResult(long Id, string Name, long ParentId, string Path, int Count)
{
    public static FolderResult Of(FolderInfo f) => new(f.Id, f.Name, f.ParentId ?? 0, f.Path, f.Count);
}

/// <summary>
/// A JSON object stored as text (a scan's options and counts, a finding's detail), written as it is stored: its
/// shape is the scan kind's, so the schema says only that it is an object.
/// </summary>
[JsonConverter(typeof(StoredObjectConverter))]
[JsonSchemaText("""{"type":"object"}""")]
internal readonly record struct StoredObject(string Json);

internal sealed class StoredObjectConverter : JsonConverter<StoredObject>
{
    public override StoredObject Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.ValueKind == JsonValueKind.Object ? new StoredObject(document.RootElement.GetRawText()) : throw new JsonException("expected an object");
    }

    // Validated as it is written (WriteRawValue checks the text is one JSON value), so a damaged row fails loudly.
    public override void Write(Utf8JsonWriter writer, StoredObject value, JsonSerializerOptions options) => writer.WriteRawValue(value.Json);
}

/// <summary>Lists of ids in an input (1 to <see cref="Max"/> of them).</summary>
internal static class IdLists
{
    public const int Max = 500;

    /// <summary>Each id once, in the order given.</summary>
    public static List<long> Distinct(IReadOnlyList<PositiveId>? ids) => ids is null ? [] : [.. ids.Select(i => i.Value).Distinct()];
}
