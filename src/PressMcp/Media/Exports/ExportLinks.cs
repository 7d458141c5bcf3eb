using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using PressMcp.Web;

namespace PressMcp.Media.Exports;

/// <summary>What a download link grants: one export of one site, to the user who started it, until it expires.</summary>
internal sealed record ExportGrant(long SiteId, Guid JobId, long UserId, DateTimeOffset ExpiresUtc);

/// <summary>
/// Signed, time-limited download links for finished exports. The grant is sealed (<see cref="SealedTokens"/>), so a
/// link cannot be forged or altered and any instance can check it. The expiry is
/// inside the sealed grant and checked against <see cref="TimeProvider"/> here rather than by the time-limited
/// protector, so an expired link can be told apart from a forged one and the clock is the server's one clock.
/// </summary>
internal sealed class ExportLinks(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string Segment = "vmfa-exports";

    // The purpose string isolates these tokens: no other protected payload of the server is accepted as a link.
    private readonly SealedTokens _tokens = SealedTokens.For(protection, "PressMcp.Media.Exports.DownloadLink.v1");

    public string Token(ExportGrant grant)
    {
        var text = string.Join('|', grant.SiteId.ToString(CultureInfo.InvariantCulture), grant.JobId.ToString("N"),
            grant.UserId.ToString(CultureInfo.InvariantCulture), grant.ExpiresUtc.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        return _tokens.Seal(Encoding.UTF8.GetBytes(text));
    }

    public string Url(string siteBase, ExportGrant grant) => $"{siteBase}/{Segment}/{Token(grant)}";

    /// <summary>The grant a token carries, or why it carries none.</summary>
    public Outcome<ExportGrant> Read(string token)
    {
        // A real token is a few hundred characters.
        if (_tokens.Open(token, maxLength: 1024) is not { } plain) return Invalid;
        var parts = Encoding.UTF8.GetString(plain).Split('|');
        if (parts.Length != 4
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var siteId)
            || !Guid.TryParseExact(parts[1], "N", out var jobId)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
            return Invalid;
        var grant = new ExportGrant(siteId, jobId, userId, DateTimeOffset.FromUnixTimeSeconds(expires));
        if (clock.GetUtcNow() >= grant.ExpiresUtc)
            return Problem.Forbidden("this download link has expired; ask vmfo-folder-exporter/get-export-status for a new one");
        return grant;
    }

    private static Problem Invalid => Problem.NotFound("this download link is not valid");
}
