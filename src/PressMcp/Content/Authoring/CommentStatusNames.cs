namespace PressMcp.Content.Authoring;

/// <summary>
/// Comment statuses as agents see them: WordPress's REST vocabulary (approved, pending, spam, trash), where the
/// database keeps WordPress's own <c>hold</c> for pending.
/// </summary>
internal static class CommentStatusNames
{
    public const string Pending = "pending";

    public static readonly IReadOnlyList<string> Names = [CommentStatuses.Approved, Pending, CommentStatuses.Spam, CommentStatuses.Trash];

    public static string StatusName(string stored) => stored == CommentStatuses.Hold ? Pending : stored;

    public static string Stored(string name) => name == Pending ? CommentStatuses.Hold : name;
}
