using PressMcp.Abilities;

namespace PressMcp.Activity;

/// <summary>
/// Records in the activity log what a person did in the browser that is not an ability call (<see cref="PersonCalls"/>
/// records those): the server administrators' Sites and Users pages (they act on no site a member could reach, and
/// agents are not offered them) and an upload on the media page (a streamed file, not JSON arguments). An entry here
/// has the same shape: the person as actor, endpoint <see cref="PersonCalls.Endpoint"/>, no client.
/// </summary>
internal sealed class PersonActivity(ActivityLog log, TimeProvider clock)
{
    /// <param name="ability">A stable name for the action (<c>admin/user-disable</c>), as an ability's name would be.</param>
    /// <param name="tool">What the person did, for people to read (<c>admin: disable user</c>).</param>
    /// <param name="arguments">A short summary of what it was done to (a login, a slug); never a password.</param>
    public void Record(long actorId, string ability, string tool, Problem? problem, string arguments, long? siteId = null) =>
        log.Record(new ActivityEntry
        {
            CallId = CallIds.New(clock.GetUtcNow()),
            AtUtc = clock.GetUtcNow().UtcDateTime,
            UserId = actorId,
            Client = null,
            Endpoint = PersonCalls.Endpoint,
            Tool = TextBounds.Shorten(tool, 100),
            Ability = TextBounds.Shorten(ability, 100),
            SiteId = siteId,
            Outcome = problem is null ? CallOutcome.Succeeded : problem.Kind switch { ErrorKind.Invalid => CallOutcome.Invalid, ErrorKind.NotFound => CallOutcome.NotFound, _ => CallOutcome.Failed },
            Message = problem is null ? null : TextBounds.Shorten(problem.Message, 1000),
            Arguments = TextBounds.Shorten(arguments, 1000),
            IsWrite = true,
        });
}
