using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PressMcp.Media;

/// <summary>
/// A folder as a caller names it: an id (an integer) or a path of names from the top (<c>Photos/2026/Trips</c>,
/// matched without regard to case). Integers are always ids and strings always paths, so a folder named <c>2026</c>
/// is reached as the string <c>"2026"</c>.
/// </summary>
internal sealed record FolderRef(long? Id, IReadOnlyList<string>? Path)
{
    public static FolderRef ById(long id) => new(id, null);

    /// <summary>The top level, for a parent: the id 0, an empty path or <c>/</c>.</summary>
    public bool IsTop => Id == 0 || Path is { Count: 0 };

    public static FolderRef? From(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => ById(value.GetInt64()),
        JsonValueKind.String => Parse(value.GetString()!),
        _ => null,
    };

    /// <summary>A path string: names separated by <c>/</c>; leading, trailing and doubled slashes are ignored.</summary>
    public static FolderRef Parse(string path) =>
        new(null, path.Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public override string ToString() => Id is { } id ? id.ToString(CultureInfo.InvariantCulture) : "'" + string.Join('/', Path!) + "'";
}

/// <summary>The rules of folder names, in one place.</summary>
internal static class FolderNames
{
    public const int MaxLength = 200;

    /// <summary>Names compare without case (and with one Unicode form), so <c>Photos</c> and <c>photos</c> are one name.</summary>
    public static string Normalize(string name) => name.Trim().Normalize(NormalizationForm.FormC).ToLowerInvariant();

    /// <summary>Null when <paramref name="name"/> may name a folder, otherwise why not.</summary>
    public static string? Problem(string name)
    {
        var trimmed = name.Trim();
        if (trimmed.Length == 0) return "a folder name must not be empty";
        if (trimmed.Length > MaxLength) return $"a folder name must be at most {MaxLength} characters";
        if (trimmed.Contains('/')) return "a folder name cannot contain '/' (it separates the names in a folder path)";
        if (trimmed is "." or "..") return "a folder cannot be named '.' or '..'";
        if (trimmed.Any(char.IsControl)) return "a folder name cannot contain control characters";
        return null;
    }
}
