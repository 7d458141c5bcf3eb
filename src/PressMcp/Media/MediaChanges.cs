using PressMcp.Abilities;
using PressMcp.Activity;

namespace PressMcp.Media;

/// <summary>
/// Makes the <see cref="ChangeRecord"/> of one write, to be saved with it. An ability call makes them with its call id
/// (<see cref="AbilityCall.Change"/>); the media page makes them with a fresh id per request.
/// </summary>
internal delegate ChangeRecord RecordChange(string objectType, long objectId, string action, object? before);

internal static class MediaChanges
{
    public const string Media = "media";
    public const string Folder = "media_folder";
    public const string Rule = "media_rule";

    public static RecordChange For(AbilityCall call) => (type, id, action, before) => call.Change(type, id, action, before);

    /// <summary>For a write outside MCP (the media page): same record, no activity entry to join.</summary>
    public static RecordChange For(long userId, long siteId, TimeProvider clock)
    {
        var callId = Guid.NewGuid();
        return (type, id, action, before) => new ChangeRecord
        {
            CallId = callId,
            AtUtc = clock.GetUtcNow().UtcDateTime,
            UserId = userId,
            SiteId = siteId,
            ObjectType = type,
            ObjectId = id,
            Action = action,
            Before = before is null ? null : System.Text.Json.JsonSerializer.Serialize(before, before.GetType(), ChangeJson.Options),
        };
    }
}
