using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PressMcp.OAuth.Authorization;
using PressMcp.OAuth.Model;
using PressMcp.Storage;

namespace PressMcp.OAuth.Grants;

/// <summary>Users' approvals (grants and their sites), the events shown about them, and authorization codes.</summary>
internal sealed class GrantStore(PressDbContext db, TimeProvider clock, IOptions<OAuthOptions> options)
{
    public Task<OAuthGrant?> FindAsync(long userId, string clientId, string resource, CancellationToken ct) =>
        db.OAuthGrants.FirstOrDefaultAsync(g => g.UserId == userId && g.ClientId == clientId && g.Resource == resource, ct);

    public Task<List<long>> SitesOfAsync(long grantId, CancellationToken ct) =>
        db.OAuthGrantSites.Where(s => s.GrantId == grantId).Select(s => s.SiteId).OrderBy(id => id).ToListAsync(ct);

    public Task<bool> HasApprovedClientBeforeAsync(long userId, string clientId, CancellationToken ct) =>
        db.OAuthGrants.AnyAsync(g => g.UserId == userId && g.ClientId == clientId, ct);

    /// <summary>
    /// An existing approval that already covers this request (every scope asked for, and the site of a site
    /// endpoint), still limited to sites the user belongs to: the consent page may then be skipped.
    /// </summary>
    public async Task<OAuthGrant?> FindCoveringAsync(long userId, ValidAuthorization request, CancellationToken ct)
    {
        var grant = await FindAsync(userId, request.Client.Id, request.Resource.Url, ct);
        if (grant is null || !Scopes.IsWithin(request.Scope, grant.Scope)) return null;
        var sites = await SitesOfAsync(grant.Id, ct);
        var memberOf = await db.SiteMembers.Where(m => m.UserId == userId).Select(m => m.SiteId).ToListAsync(ct);
        if (sites.Count == 0 || sites.Except(memberOf).Any()) return null;
        if (request.Resource.SiteId is { } siteId && !sites.Contains(siteId)) return null;
        return grant;
    }

    /// <summary>Records the user's approval: the grant for this client and endpoint now has exactly these scopes and sites.</summary>
    public async Task<OAuthGrant> ApproveAsync(long userId, ValidAuthorization request, IReadOnlyCollection<long> siteIds, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var grant = await FindAsync(userId, request.Client.Id, request.Resource.Url, ct);
        if (grant is null)
        {
            grant = new OAuthGrant { UserId = userId, ClientId = request.Client.Id, Resource = request.Resource.Url, Scope = request.Scope, FirstApprovedUtc = now };
            db.OAuthGrants.Add(grant);
        }
        grant.Scope = request.Scope;
        grant.LastApprovedUtc = now;
        await db.SaveChangesAsync(ct);

        await db.OAuthGrantSites.Where(s => s.GrantId == grant.Id).ExecuteDeleteAsync(ct);
        db.OAuthGrantSites.AddRange(siteIds.Distinct().Select(id => new OAuthGrantSite { GrantId = grant.Id, SiteId = id }));
        await db.OAuthClients.Where(c => c.Id == request.Client.Id && c.FirstApprovedUtc == null)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.FirstApprovedUtc, now), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return grant;
    }

    /// <summary>Issues a single-use code for a grant; only its hash is stored. Returns the code to send to the client.</summary>
    public async Task<string> IssueCodeAsync(OAuthGrant grant, ValidAuthorization request, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var code = Secrets.NewHandle(Secrets.CodePrefix);
        db.OAuthCodes.Add(new OAuthCode
        {
            Hash = Secrets.Hash(code),
            GrantId = grant.Id,
            ClientId = request.Client.Id,
            UserId = grant.UserId,
            RedirectUri = request.RedirectUri,
            CodeChallenge = request.CodeChallenge,
            Scope = request.Scope,
            Resource = request.Resource.Url,
            FamilyId = Secrets.NewFamilyId(),
            CreatedUtc = now,
            ExpiresUtc = now + options.Value.CodeLifetime,
        });
        await db.SaveChangesAsync(ct);
        return code;
    }

    public async Task RecordEventAsync(long grantId, string message, CancellationToken ct)
    {
        db.OAuthGrantEvents.Add(new OAuthGrantEvent { GrantId = grantId, AtUtc = clock.GetUtcNow().UtcDateTime, Message = message });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Ends a connection: the grant, its sites, codes and every token go with it (cascade).</summary>
    public async Task<bool> RevokeAsync(long userId, long grantId, CancellationToken ct) =>
        await db.OAuthGrants.Where(g => g.Id == grantId && g.UserId == userId).ExecuteDeleteAsync(ct) > 0;
}
