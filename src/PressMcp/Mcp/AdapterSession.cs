using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using PressMcp.Web;

namespace PressMcp.Mcp;

/// <summary>
/// The adapter's <c>Mcp-Session-Id</c> without server memory. WordPress's MCP Adapter keeps sessions in user meta; a
/// PressMcp instance keeps nothing, so a session id is a sealed token (<see cref="SealedTokens"/>) that names the user, the
/// site of the endpoint and when it expires. Any instance can check it; none can forget it, so ending a session
/// (<c>DELETE</c>) is acknowledged but the id stays valid until it expires, as docs/compatibility.md says.
/// </summary>
internal sealed class AdapterSessionTokens(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string Header = "Mcp-Session-Id";

    /// <summary>The adapter's default inactivity timeout; here an absolute lifetime, since nothing records activity.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    /// <summary>Longer than any id this server issues (about 160 characters); a longer header is not looked at.</summary>
    public const int MaxLength = 512;

    // The purpose string separates these tokens from every other use of the key ring (cookies, OAuth).
    private readonly SealedTokens _tokens = SealedTokens.For(protection, "PressMcp.Mcp.AdapterSession.v1");

    public string Issue(long userId, long siteId)
    {
        // user, site, expiry, and 16 random bytes so that two sessions of one user are two ids.
        Span<byte> payload = stackalloc byte[40];
        BinaryPrimitives.WriteInt64BigEndian(payload, userId);
        BinaryPrimitives.WriteInt64BigEndian(payload[8..], siteId);
        BinaryPrimitives.WriteInt64BigEndian(payload[16..], clock.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds());
        RandomNumberGenerator.Fill(payload[24..]);
        return _tokens.Seal(payload.ToArray());
    }

    /// <summary>Whether <paramref name="token"/> is an unexpired id this server issued to this user for this site.</summary>
    public bool IsValid(string token, long userId, long siteId)
    {
        return _tokens.Open(token, MaxLength) is { } payload
            && payload.Length == 40
            && BinaryPrimitives.ReadInt64BigEndian(payload) == userId
            && BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(8)) == siteId
            && BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(16)) > clock.GetUtcNow().ToUnixTimeSeconds();
    }
}

/// <summary>
/// One adapter request's session: the id the client sent (checked once, whatever the number of messages in the
/// body), and the id the response carries back: the one sent when it is valid, or a new one for an <c>initialize</c>
/// that came without one, as the adapter's <c>initialize</c> creates a session.
/// </summary>
internal sealed class AdapterSession(AdapterSessionTokens tokens)
{
    /// <summary>The adapter's code for "Session not found" (its McpErrorFactory), answered with HTTP 404.</summary>
    public const int SessionNotFound = -32005;
    public const string SessionNotFoundMessage = "Session not found: Invalid or expired session";

    private string? _presented;
    private bool? _valid;
    private long _userId;
    private long _siteId;

    /// <summary>The id to send back in the response's <c>Mcp-Session-Id</c> header, if any.</summary>
    public string? ResponseId { get; private set; }

    public void Begin(string? presented, long userId, long siteId)
    {
        _presented = string.IsNullOrEmpty(presented) ? null : presented;
        _userId = userId;
        _siteId = siteId;
    }

    /// <summary>Whether the id sent with this request is valid for the caller and site (false when none was sent).</summary>
    public bool PresentedIsValid => _presented is not null && (_valid ??= tokens.IsValid(_presented, _userId, _siteId));

    public bool WasPresented => _presented is not null;

    /// <summary>
    /// Null lets the request through; otherwise the refusal. A request with an id that is not valid for this caller
    /// and site is refused, except <c>initialize</c>, which starts over with a new one. A request without an id is
    /// served: the adapter requires one after <c>initialize</c>, but clients written for PressMcp's stateless endpoint
    /// send none, and the id proves nothing the credentials have not already proved.
    /// </summary>
    public McpReply? Admit(JsonRpcMessage request)
    {
        if (PresentedIsValid)
        {
            ResponseId = _presented;
            return null;
        }
        if (request.Method == "initialize")
        {
            ResponseId ??= tokens.Issue(_userId, _siteId);
            return null;
        }
        return _presented is null ? null : McpReply.Error(request, SessionNotFound, SessionNotFoundMessage, StatusCodes.Status404NotFound);
    }
}
