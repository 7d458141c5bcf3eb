using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PressMcp.OAuth.Model;
using PressMcp.OAuth.Protocol;
using PressMcp.Storage;

namespace PressMcp.OAuth.Tokens;

/// <summary>What the token endpoint needs to mint a token pair.</summary>
internal sealed record TokenGrantFacts(string FamilyId, long GrantId, string ClientId, long UserId, string Scope, string Resource);

/// <summary>
/// Access and refresh tokens: issued in pairs, stored as hashes, revoked by family. The state changes that
/// must happen once (redeeming a code, rotating a refresh token) are single conditional UPDATEs, so two
/// requests, or two instances, racing on the same code or token cannot both win.
/// </summary>
internal sealed class TokenStore(PressDbContext db, TimeProvider clock, IOptions<OAuthOptions> options)
{
    public Task<OAuthToken?> FindAsync(string handle, CancellationToken ct)
    {
        var hash = Secrets.Hash(handle);
        return db.OAuthTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Hash == hash, ct);
    }

    public Task<OAuthCode?> FindCodeAsync(string code, CancellationToken ct)
    {
        var hash = Secrets.Hash(code);
        return db.OAuthCodes.AsNoTracking().FirstOrDefaultAsync(c => c.Hash == hash, ct);
    }

    /// <summary>Marks a code used; false when it already was (a replay).</summary>
    public async Task<bool> TryRedeemCodeAsync(string codeHash, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.OAuthCodes.Where(c => c.Hash == codeHash && c.RedeemedUtc == null)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.RedeemedUtc, now), ct) == 1;
    }

    /// <summary>Marks a refresh token replaced; false when it already was.</summary>
    public async Task<bool> TryRotateAsync(string tokenHash, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.OAuthTokens.Where(t => t.Hash == tokenHash && t.Kind == TokenKind.Refresh && t.RotatedUtc == null && t.RevokedUtc == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.RotatedUtc, now), ct) == 1;
    }

    /// <summary>True when a refresh token issued in place of this one has itself been used.</summary>
    public Task<bool> SuccessorUsedAsync(string tokenHash, CancellationToken ct) =>
        db.OAuthTokens.AnyAsync(t => t.ParentHash == tokenHash && t.RotatedUtc != null, ct);

    /// <summary>Ends every token of a family at once; returns how many were still live.</summary>
    public Task<int> RevokeFamilyAsync(string familyId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.OAuthTokens.Where(t => t.FamilyId == familyId && t.RevokedUtc == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedUtc, now), ct);
    }

    public Task<int> RevokeAsync(string tokenHash, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.OAuthTokens.Where(t => t.Hash == tokenHash && t.RevokedUtc == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedUtc, now), ct);
    }

    /// <summary>Mints an access token and a refresh token for a grant; only their hashes are stored.</summary>
    public async Task<TokenResponse> IssuePairAsync(TokenGrantFacts facts, string? parentHash, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var o = options.Value;
        var access = Secrets.NewHandle(Secrets.AccessTokenPrefix);
        var refresh = Secrets.NewHandle(Secrets.RefreshTokenPrefix);
        db.OAuthTokens.Add(NewToken(facts, access, TokenKind.Access, now, now + o.AccessTokenLifetime, null));
        db.OAuthTokens.Add(NewToken(facts, refresh, TokenKind.Refresh, now, now + o.RefreshTokenLifetime, parentHash));
        await db.SaveChangesAsync(ct);
        await db.OAuthGrants.Where(g => g.Id == facts.GrantId).ExecuteUpdateAsync(u => u.SetProperty(g => g.LastUsedUtc, now), ct);
        return new TokenResponse
        {
            AccessToken = access,
            RefreshToken = refresh,
            ExpiresIn = (long)o.AccessTokenLifetime.TotalSeconds,
            Scope = facts.Scope,
        };
    }

    private static OAuthToken NewToken(TokenGrantFacts f, string handle, TokenKind kind, DateTime now, DateTime expires, string? parentHash) => new()
    {
        Hash = Secrets.Hash(handle),
        Kind = kind,
        FamilyId = f.FamilyId,
        GrantId = f.GrantId,
        ClientId = f.ClientId,
        UserId = f.UserId,
        Scope = f.Scope,
        Resource = f.Resource,
        CreatedUtc = now,
        ExpiresUtc = expires,
        ParentHash = parentHash,
    };
}
